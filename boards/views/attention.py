"""The job boards' "needs attention" list (the dashboard's count links here): postings that failed or whose board
account needs attention, and events from boards that could not be processed, each with what to do next."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from boards import selectors
from boards.services.inbound import inbound_event_reprocess
from recruitment.web.access import require_perm, staff_view

REPROCESS_PERMISSION = "boards.change_inboundevent"


@staff_view("recruitment.view_vacancy")
def attention(request: HttpRequest) -> HttpResponse:
    """Both lists, newest first, within the user's data scope (at most 200 rows each)."""
    context = {
        "postings": selectors.postings_needing_attention(user=request.user)[:200],
        "events": selectors.inbound_events_failed(user=request.user)
        .select_related("account", "posting__vacancy", "application__vacancy")
        .order_by("-received_at", "-pk")[:200],
        "can_reprocess": request.user.has_perm(REPROCESS_PERMISSION),
        "total": selectors.board_attention_count(user=request.user),
    }
    return render(request, "boards/attention.html", context)


@staff_view("recruitment.view_vacancy")
@require_POST
def reprocess(request: HttpRequest, pk: int) -> HttpResponse:
    """Process a failed event again (e.g. once the vacancy is posted or the account's credentials are fixed)."""
    require_perm(request, REPROCESS_PERMISSION)
    event = get_object_or_404(selectors.inbound_events_failed(user=request.user), pk=pk)
    inbound_event_reprocess(event=event)
    messages.success(request, f"The {event.account.adapter.name} event {event.event_id} will be processed again.")
    return redirect("boards:attention")
