"""Job-board integrations, both ways: vacancies out to boards, applications and status changes back.

The boards are listed in `types.BOARDS` (a closed registry, imported lazily by `registry.py`); each is one package
under `adapters/` that declares its fields, settings, wording and statuses (`base.BoardAdapter`) and makes its calls
through `http.BoardHttpClient`. Everything else is shared by every board:

- Out: the posting page (`views/postings.py`) validates with the board's spec and calls `services.postings`, which
  queues `tasks.deliver_posting` on commit; `services.delivery` claims the posting under a row lock, calls the board
  with no transaction open and settles the outcome (temporary failures retried with backoff, 400s onto their fields,
  401/403 marking the account). Every call leaves a PublishAttempt row, secrets redacted.
- In: `views/webhooks.py` verifies the raw body and `services.inbound` stores it as an InboundEvent together with its
  processing task; `services.events` does what the event says (an application through the careers site's and the
  API's own `application_apply`), with retries and reasons. `services.polling` feeds what polls find through the
  same path.
- Upkeep: `tasks.board_upkeep` (every BOARD_UPKEEP_MINUTES, scheduled after `migrate` by `apps.py`) resumes lost
  sends and event processing and polls the boards that can be polled.

The fake boards live in `sandbox/` (mounted at /sandbox/ when BOARDS_SANDBOX is on); `ADDING_A_BOARD.md` says what a
new board adds.
"""
