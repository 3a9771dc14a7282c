"""Bulk boards' pages and endpoints: the callback a board POSTs when an import is complete, and the imports panel
of the posting page (its progress, polled by htmx while an import is waiting, being sent or being processed).

The callback's address carries the import's token (`/boards/<board>/imports/<token>/callback/`): the token is the
credential (so no CSRF check and no signature; the board signs nothing). An unknown token answers 404 and changes
nothing; the first good callback is stored with its processing task and answered 200 at once; a repeat answers 200
and changes nothing (the board has done its part either way). A body that is not a complete import of this address
answers 400 and changes nothing.
"""

import json
import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from boards import selectors
from boards.base import Capability
from boards.models import BulkImport
from boards.registry import get_adapter, is_registered
from boards.services.imports import ImportMismatch, bulk_import_callback_receive
from recruitment.selectors.vacancies import vacancy_list
from recruitment.web.access import staff_view

logger = logging.getLogger(__name__)

PANEL_TEMPLATE = "boards/_bulk_imports.html"


def _answer(status: int, message: str) -> JsonResponse:
    return JsonResponse({"status": status, "detail": message}, status=status)


def _is_bulk(board: str) -> bool:
    return is_registered(board) and Capability.BULK_IMPORT in get_adapter(board).capabilities


@csrf_exempt
@require_POST
def callback(request: HttpRequest, board: str, token: str) -> JsonResponse:
    """Accept a board's "import complete" callback once (see the module)."""
    if not _is_bulk(board):
        return _answer(404, "No such import.")
    row = BulkImport.objects.filter(account__board=board, token=token).select_related("account").first()
    if row is None:
        return _answer(404, "No such import.")
    adapter = row.account.adapter
    try:
        state = adapter.parse_import(json.loads(request.body))
        received = bulk_import_callback_receive(bulk_import=row, state=state, body=request.body)
    except (ValueError, ImportMismatch) as exc:
        logger.warning("Refused a %s import callback for import %s: %s", adapter.name, row.pk, exc)
        return _answer(400, f"Not a complete import for this address: {exc}")
    return _answer(200, "Received." if received else "Already received.")


def panel_context(*, account, posting) -> dict:
    """What the imports panel shows: the account's latest imports (and whether any is still moving), and the
    posting's place in the feed."""
    imports = list(selectors.bulk_imports_for_account(account=account)) if account else []
    return {
        "account": account,
        "posting": posting,
        "bulk_imports": imports,
        "imports_active": any(row.active for row in imports),
    }


@staff_view("recruitment.change_vacancy")
@require_GET
def panel(request: HttpRequest, pk: int, board: str) -> HttpResponse:
    """The imports panel alone, for htmx polling; once no import is moving, htmx is told to reload the page (the
    results are on the posting and its fields by then)."""
    if not _is_bulk(board):
        raise Http404("No such board.")
    vacancy = get_object_or_404(vacancy_list(user=request.user), pk=pk)
    posting = selectors.posting_for(vacancy=vacancy, board=board)
    context = {
        **panel_context(account=selectors.account_for_board(board=board), posting=posting),
        "adapter": get_adapter(board),
        "vacancy": vacancy,
    }
    response = render(request, PANEL_TEMPLATE, context)
    if request.htmx and not context["imports_active"]:
        response["HX-Refresh"] = "true"
    return response
