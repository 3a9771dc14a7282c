"""The recruiter's "Post to <board>" page, its live-validation endpoint and its status fragment: one page for every
board, driven by the board's adapter (its fields, wording, statuses and what it can do).

Without JavaScript the page is a plain form: the buttons post it and the server renders the same errors. With it,
htmx posts each change to `validate` (the answer replaces the changed field's error slot, and those of the fields
that share its group) and polls `status` while a send is under way (the history refreshing with it), reloading the
page once it settles; while the board has the job as a draft waiting to be published, `status?watch=draft` asks for
a read of its status now and then (`boards.services.status_checks`) and answers 204 (nothing to swap) until the
status changes.

The form shows the saved values (the vacancy's the first time) validated as the page loads: what must be fixed
before posting shows whatever was saved. Fields that drifted from the vacancy since they were saved are listed
above the form with one action, "take the vacancy's values" (`boards.drift`).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from boards import selectors
from boards.base import BoardAdapter, Capability
from boards.drift import DriftAction, drift_action, posting_drift, values_with_vacancy
from boards.forms import BoardPostingForm, date_field_name, form_class_for, form_data
from boards.models import Posting, PostingStatus
from boards.registry import get_adapter, is_registered
from boards.services.feeds import posting_feed_include, posting_feed_remove
from boards.services.imports import feed_sync_now
from boards.services.listing import posting_check_listing
from boards.services.postings import ensure_can_post, posting_request, posting_save_draft, posting_send
from boards.services.status_checks import awaits_publishing, posting_status_check_request
from boards.types import Operation
from boards.views.imports import panel_context
from recruitment.errors import DomainError
from recruitment.models import Vacancy, VacancyStatus
from recruitment.selectors.vacancies import vacancy_in_scope, vacancy_list
from recruitment.web.access import staff_view

PERMISSION = "recruitment.change_vacancy"
TEMPLATE = "boards/post_to_board.html"
LISTING_ACTION = "check_listing"
TAKE_VACANCY_ACTION = "take_vacancy"
WATCH_DRAFT = "draft"


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(vacancy_list(user=request.user), pk=pk)


def _adapter(board: str) -> BoardAdapter:
    if not is_registered(board):
        raise Http404("No such board.")
    return get_adapter(board)


def _form(adapter: BoardAdapter, vacancy: Vacancy, data=None) -> BoardPostingForm:
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, adapter.code])
    return form_class_for(type(adapter))(data, validate_url=url)


def _can_send(adapter: BoardAdapter, posting: Posting | None) -> bool:
    """Whether the page's values can still go to the board: not yet posted, or the board takes updates (a bulk
    board's feed always does)."""
    if posting is None or not posting.board_id or Capability.BULK_IMPORT in adapter.capabilities:
        return True
    return adapter.can_update(posting)


def _initial_form(adapter: BoardAdapter, vacancy: Vacancy, posting: Posting | None) -> BoardPostingForm:
    """Saved values (or the vacancy's, the first time), validated by the spec as the page loads, so what must be
    fixed before posting shows however the values were saved (Save as Draft keeps invalid ones); with the board's
    errors after a rejected send. Values that can no longer be sent (the board refuses updates) are shown as saved."""
    values = posting.values if posting and posting.values else adapter.initial_values(vacancy)
    form = _form(adapter, vacancy, form_data(values))
    if _can_send(adapter, posting):
        form.is_valid()
    if posting and posting.status == PostingStatus.FAILED and posting.field_errors:
        form.add_board_errors(posting.field_errors)
    return form


def _blocked_action(adapter: BoardAdapter, posting: Posting | None) -> str:
    """What the errors found on load stand in the way of, in the words of the page's buttons."""
    if Capability.BULK_IMPORT in adapter.capabilities:
        return "update the feed" if posting and posting.in_feed else "include this job in the feed"
    if posting and posting.board_id:
        return f"update this job on {adapter.name}"
    return "post this job"


def _sandbox_url(adapter: BoardAdapter) -> str:
    """The fake board's own page (sandbox URL names are board codes), for demos; "" without the sandbox."""
    if not settings.BOARDS_SANDBOX:
        return ""
    try:
        return reverse(f"sandbox:{adapter.code}")
    except NoReverseMatch:
        return ""


def _status_context(adapter: BoardAdapter, vacancy: Vacancy, posting: Posting | None) -> dict:
    """What the status panel and the history show, in the board's words: whether the page watches a waiting
    draft (and how often it asks), and how often it polls while a send is under way."""
    return {
        "adapter": adapter,
        "vacancy": vacancy,
        "posting": posting,
        "posted_note": adapter.posted_note(posting) if posting else "",
        "watching": bool(posting) and awaits_publishing(adapter, posting),
        "watch_seconds": max(1, round(settings.BOARD_DRAFT_CHECK_SECONDS / 2)),
        "attempts": selectors.attempts_for_posting(posting=posting) if posting else [],
    }


def _drift_context(adapter: BoardAdapter, vacancy: Vacancy, posting: Posting | None) -> dict:
    """The fields that drifted from the vacancy, and what taking its values does."""
    drift = posting_drift(adapter=adapter, vacancy=vacancy, posting=posting)
    return {"drift": drift, "drift_action": drift_action(adapter, posting) if drift else None}


def _render_page(
    request, *, adapter, vacancy, posting, form=None, refusal="", status=200, checked_on_load=False
) -> HttpResponse:
    account = selectors.account_for_board(board=adapter.code)
    bulk = Capability.BULK_IMPORT in adapter.capabilities
    context = {
        **_status_context(adapter, vacancy, posting),
        **(_drift_context(adapter, vacancy, posting) if form is not None else {"drift": ()}),
        # Bulk boards take the account's whole feed in imports: the page includes, updates and removes the job
        # there and shows the feed's imports (`boards.views.imports`).
        **(panel_context(account=account, posting=posting) if bulk else {}),
        "bulk": bulk,
        "account": account,
        "can_update": bool(posting) and adapter.can_update(posting),
        "can_close": bool(posting) and adapter.can_close(posting),
        "can_check_listing": bool(posting and posting.board_id) and Capability.LISTING_CHECK in adapter.capabilities,
        "update_refusal": adapter.update_refusal(posting) if posting and posting.board_id else "",
        "form": form,
        "checked_on_load": checked_on_load,
        "blocked_action": _blocked_action(adapter, posting),
        "refusal": refusal,
        "vacancy_ended": vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.CANCELLED),
        "fixed_values": adapter.fixed_values(vacancy) if not refusal else {},
        "sandbox_url": _sandbox_url(adapter),
    }
    return render(request, TEMPLATE, context, status=status)


def _check_listing(request: HttpRequest, posting: Posting) -> None:
    """Ask the board whether it lists the job (boards with a job search) and say so on the next page."""
    try:
        check = posting_check_listing(posting=posting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        (messages.success if check.listed else messages.warning)(request, check.detail)


@staff_view(PERMISSION)
def post_to_board(request: HttpRequest, pk: int, board: str) -> HttpResponse:
    """The form: Save as Draft, Post the Job, and once the board has the job Update, Check status, Close and (boards
    with a job search) Check the listing; on a bulk board, Include in the feed (then Update the feed and Remove from
    the feed) and Sync now."""
    vacancy, adapter = _vacancy(request, pk), _adapter(board)
    posting = selectors.posting_for(vacancy=vacancy, board=board)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == LISTING_ACTION and posting and posting.board_id:
        _check_listing(request, posting)
        return redirect(request.path)
    if action in (Operation.STATUS, Operation.CLOSE) and posting and posting.board_id:
        # Reading or taking down a job the board has stays possible after the vacancy closed.
        try:
            posting_request(posting=posting, operation=action, user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    if action in ("sync", "remove") and Capability.BULK_IMPORT in adapter.capabilities:
        # A bulk board's feed can be synced, and a job taken out of it, whatever the vacancy's status now.
        return _feed_action(request, adapter=adapter, posting=posting, action=action)
    try:
        ensure_can_post(vacancy=vacancy, board=board)
    except DomainError as exc:
        # Reading the page is fine (200, it says why); trying to post is what conflicts with the vacancy's state.
        status = 409 if request.method == "POST" else 200
        return _render_page(
            request, adapter=adapter, vacancy=vacancy, posting=posting, refusal=exc.message, status=status
        )
    if request.method != "POST":
        form = _initial_form(adapter, vacancy, posting)
        return _render_page(request, adapter=adapter, vacancy=vacancy, posting=posting, form=form, checked_on_load=True)
    if action == TAKE_VACANCY_ACTION:
        return _take_vacancy_values(request, adapter=adapter, vacancy=vacancy, posting=posting)

    form = _form(adapter, vacancy, request.POST)
    try:
        if action == "save":
            posting_save_draft(vacancy=vacancy, board=board, values=form.raw_values(), user=request.user)
            messages.success(request, f"Draft saved. Nothing has been sent to {adapter.name}.")
            return redirect(request.path)
        if action in ("post", "update") and form.is_valid():
            if Capability.BULK_IMPORT in adapter.capabilities:
                posting_feed_include(vacancy=vacancy, board=board, values=form.raw_values(), user=request.user)
                messages.success(request, f"In the {adapter.name} feed: the next sync sends it.")
            else:
                posting_send(vacancy=vacancy, board=board, values=form.raw_values(), user=request.user)
            return redirect(request.path)
    except ValidationError as exc:
        form.add_board_errors(exc.message_dict)
    except DomainError as exc:
        form.add_error(None, exc.message)
    return _render_page(request, adapter=adapter, vacancy=vacancy, posting=posting, form=form, status=400)


def _take_vacancy_values(
    request: HttpRequest, *, adapter: BoardAdapter, vacancy: Vacancy, posting: Posting | None
) -> HttpResponse:
    """The drift's one action: the vacancy's values in place of the drifted ones (the other saved values kept), then
    an update of the job where the board takes one, of the feed on a bulk board, else saved here (before the job
    is sent, or when the board no longer takes updates and the recruiter changes it there). Values the board's spec
    refuses are shown against their fields and nothing is saved or sent."""
    if not posting_drift(adapter=adapter, vacancy=vacancy, posting=posting):
        # Pressed twice, or someone else took them meanwhile: nothing to send or save.
        messages.info(request, "The values here already match the vacancy.")
        return redirect(request.path)
    values = values_with_vacancy(adapter=adapter, vacancy=vacancy, posting=posting)
    action = drift_action(adapter, posting)
    try:
        if action == DriftAction.UPDATE:
            posting_send(vacancy=vacancy, board=adapter.code, values=values, user=request.user)
        elif action == DriftAction.FEED:
            posting_feed_include(vacancy=vacancy, board=adapter.code, values=values, user=request.user)
            messages.success(request, f"The vacancy's values are in the {adapter.name} feed: the next sync sends them.")
        else:
            posting_save_draft(vacancy=vacancy, board=adapter.code, values=values, user=request.user)
            sent = "Nothing has been sent" if action == DriftAction.SAVE else "Nothing was sent"
            messages.success(request, f"The vacancy's values are saved on this page. {sent} to {adapter.name}.")
    except ValidationError as exc:
        form = _form(adapter, vacancy, form_data(values))
        form.is_valid()
        form.add_board_errors(exc.message_dict)
        return _render_page(request, adapter=adapter, vacancy=vacancy, posting=posting, form=form, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.path)


def _feed_action(request: HttpRequest, *, adapter: BoardAdapter, posting: Posting | None, action: str) -> HttpResponse:
    """Sync the whole feed at once ("Sync now"), or take this job out of it ("Remove from the feed": the next sync
    takes it down)."""
    try:
        if action == "sync":
            account = selectors.account_for_board(board=adapter.code)
            if account is None:
                raise DomainError(f"{adapter.name} is not set up: an administrator adds its board account.")
            feed_sync_now(account=account, user=request.user)
            messages.success(request, f"The {adapter.name} feed is being synced: its progress shows on this page.")
        elif posting is not None:
            posting_feed_remove(posting=posting, user=request.user)
            messages.success(request, f"Removed from the {adapter.name} feed: the next sync takes the job down.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.path)


def _fields_to_refresh(adapter: BoardAdapter, trigger: str) -> list[str]:
    """The changed field (a date's, for one of its three boxes) and the fields one rule ties it to (its group)."""
    trigger = date_field_name(adapter, trigger)
    spec = adapter.spec.by_name.get(trigger)
    if spec is None:
        return []
    group = adapter.spec.groups().get(spec.group, []) if spec.group else []
    return [trigger, *(name for name in group if name != trigger)]


@staff_view(PERMISSION)
@require_POST
def validate_field(request: HttpRequest, pk: int, board: str) -> HttpResponse:
    """Live validation: the error slots of the field named by htmx's HX-Trigger-Name and of its group.

    Asked on every change as the recruiter types, so it loads no vacancy: the whole form comes with the request and
    the board's spec checks it (the form's rules, as the page's own validation applies them); the vacancy is only
    checked to be in the user's scope (404 otherwise), by one EXISTS query.
    """
    adapter = _adapter(board)
    if not vacancy_in_scope(user=request.user, pk=pk):
        raise Http404("No such vacancy.")
    form = form_class_for(type(adapter))(request.POST)
    form.is_valid()
    names = [
        name for name in _fields_to_refresh(adapter, request.headers.get("HX-Trigger-Name", "")) if name in form.fields
    ]
    html = "".join(
        render_to_string(
            f"{TEMPLATE}#field_errors", {"name": name, "errors": form.errors.get(name, []), "oob": True}, request
        )
        for name in names
    )
    return HttpResponse(html)


@staff_view(PERMISSION)
@require_GET
def posting_status(request: HttpRequest, pk: int, board: str) -> HttpResponse:
    """The status panel, with the history (out of band). While a send is under way: once it has settled, htmx is
    told to reload the page (errors go next to fields). Watching a waiting draft (`?watch=draft`): a read of its
    status on the board is asked for when one is due, and the answer is 204 (htmx swaps nothing, screen readers
    hear nothing) until the status has changed, when the panel says what it is now."""
    vacancy, adapter = _vacancy(request, pk), _adapter(board)
    posting = selectors.posting_for(vacancy=vacancy, board=board)
    watch = request.GET.get("watch") == WATCH_DRAFT
    if watch and posting is not None and awaits_publishing(adapter, posting):
        posting_status_check_request(posting=posting)
        return HttpResponse(status=204)
    context = _status_context(adapter, vacancy, posting)
    html = render_to_string(f"{TEMPLATE}#status", context, request) + render_to_string(
        f"{TEMPLATE}#history", {**context, "oob": True}, request
    )
    response = HttpResponse(html)
    if request.htmx and not watch and not (posting and posting.in_flight):
        response["HX-Refresh"] = "true"
    return response
