"""Job-board integrations: a closed registry of adapters (`registry.py`), one package per board (`adapters/`).

How a post travels: the recruiter's page (`views.py`) validates with the board's field spec and calls
`services.posting_send`, which saves the values and, on commit, queues `tasks.deliver_posting`. The task calls
`services.posting_attempt` (claim under a row lock, HTTP call with no transaction open, settle under the lock) and
owns the waiting between tries: temporary failures back off exponentially with jitter (honouring Retry-After), short
waits inside the task, long ones as a one-off django-q Schedule; `tasks.board_upkeep` (every 15 minutes, made by
`services.upkeep_schedule_ensure`) resumes sends whose task was lost and polls boards for status changes.
Every call leaves a PublishAttempt row; 400/422 errors land on the form's fields; 401/403 mark the account.

Settings (recruitment/settings.py, from the environment): BOARD_CREDENTIALS_KEY, BOARD_CONNECT_TIMEOUT_SECONDS,
BOARD_READ_TIMEOUT_SECONDS, BOARD_RETRY_BASE_SECONDS, BOARD_RETRY_MAX_SECONDS, BOARD_RETRY_MAX_ATTEMPTS,
BOARD_RETRY_INLINE_MAX_SECONDS, BOARD_SENDING_LEASE_SECONDS; BOARDS_SANDBOX mounts the fake boards at /sandbox/.
`services.demo_boards_ensure()` (or `manage.py boards_demo_account`) points the demo NHS Jobs account at the sandbox.
"""
