"""The sandbox's own pages: the index of fake boards, and the forms every board page shares (faults on demand and
the board's switches)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from boards.base import Capability
from boards.registry import get_adapter, is_registered
from boards.sandbox.faults import fault_add
from boards.sandbox.models import FaultKind, SandboxBoardSettings, SandboxFault, SandboxJob
from boards.sandbox.registry import SANDBOXES, sandbox_module, sandbox_modules


def index(request: HttpRequest) -> HttpResponse:
    """Every fake board with a link to its page (jobs, applications, faults) and its API base URL."""
    boards = [
        {
            "code": code,
            "name": module.NAME,
            "page": reverse(f"sandbox:{code}"),
            "api": request.build_absolute_uri(f"/sandbox/{code}{module.API_PATH}"),
            "jobs": SandboxJob.objects.filter(board=code).count(),
            "faults": SandboxFault.objects.filter(board=code).count(),
        }
        for code, module in sandbox_modules()
    ]
    return render(request, "sandbox/index.html", {"boards": boards})


def board_context(board: str) -> dict:
    """What every board page shows besides its own lists: pending faults, the fault kinds, the switches it has."""
    return {
        "board": board,
        "faults": SandboxFault.objects.filter(board=board),
        "fault_kinds": FaultKind.choices,
        "switches": SandboxBoardSettings.for_board(board),
        "switch_names": sandbox_module(board).SWITCHES,
        "employer_polls": employer_polls(board),
    }


def employer_polls(board: str) -> bool:
    """Whether our side polls the board for applications (its adapter can), so a switched-off webhook loses
    nothing: what the page's webhook switch says."""
    return is_registered(board) and Capability.POLLING in get_adapter(board).capabilities


@require_POST
def faults_form(request: HttpRequest, board: str) -> HttpResponse:
    """Add a fault (kind, count) to a board, or clear its faults, from the board's page."""
    if board not in SANDBOXES:
        raise Http404("No such fake board.")
    if request.POST.get("action") == "clear":
        SandboxFault.objects.filter(board=board).delete()
        messages.success(request, "Faults cleared.")
    else:
        try:
            fault = fault_add(board=board, data=request.POST.dict())
        except (ValueError, TypeError) as exc:
            messages.error(request, str(exc))
        else:
            calls = ngettext("call", "{n} calls", fault.remaining).format(n=fault.remaining)
            messages.success(request, f"The next {calls} will fail: {fault.get_kind_display()}.")
    return redirect(f"sandbox:{board}")


@require_POST
def switches_form(request: HttpRequest, board: str) -> HttpResponse:
    """Change the switches the board has (its module's `SWITCHES`): webhooks or import callbacks on or off, the
    lifetime of its access tokens."""
    if board not in SANDBOXES:
        raise Http404("No such fake board.")
    names = sandbox_module(board).SWITCHES
    switches = SandboxBoardSettings.for_board(board)
    if "webhooks_enabled" in names:
        switches.webhooks_enabled = request.POST.get("webhooks_enabled") == "on"
    if "skip_callback" in names:
        switches.skip_callback = request.POST.get("skip_callback") == "on"
    lifetime = request.POST.get("token_lifetime_seconds", "")
    if "token_lifetime_seconds" in names and lifetime.isdigit() and int(lifetime) > 0:
        switches.token_lifetime_seconds = int(lifetime)
    switches.save()
    messages.success(request, "Switches saved.")
    return redirect(f"sandbox:{board}")
