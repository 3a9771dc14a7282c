"""Board accounts: settings stored as the adapter declares them (secret ones encrypted), and "needs attention"."""

import json
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards import crypto
from boards.errors import BoardAuthError
from boards.models import BoardAccount
from boards.registry import get_adapter, is_registered


def board_account_settings_errors(
    *, board: str, settings: Mapping[str, str], stored_secrets: Mapping[str, str]
) -> dict[str, str]:
    """Errors by setting name: a setting the board does not declare, or a required one left blank (a secret left
    blank is fine when one is stored: blank keeps it). Empty when the settings will do."""
    adapter = get_adapter(board)
    declared = {setting.name: setting for setting in adapter.settings}
    errors = {name: f"{adapter.name} has no setting {name!r}." for name in sorted(set(settings) - set(declared))}
    for setting in declared.values():
        given = (settings.get(setting.name) or "").strip()
        if setting.required and not given and not (setting.secret and stored_secrets.get(setting.name)):
            errors[setting.name] = f"Enter the {setting.label}."
    return errors


@transaction.atomic
def board_account_save(
    *,
    board: str,
    name: str,
    base_url: str,
    settings: Mapping[str, str],
    enabled: bool = True,
    account: BoardAccount | None = None,
) -> BoardAccount:
    """Create or change a board account with the settings its adapter declares (`BoardAdapter.settings`).

    Non-secret settings are stored as given; a secret setting given blank keeps the stored value (secrets are never
    shown back, so a form cannot send them again). Raises ValidationError (by setting name) for a setting the board
    does not declare, or a required one that is missing. Any change of settings clears "needs attention": the next
    send tries again.
    """
    if not is_registered(board):
        raise ValidationError({"board": f"Unknown board {board!r}."})
    account = account or BoardAccount(board=board)
    stored_secrets = account.secrets() if account.pk and account.board == board else {}
    errors = board_account_settings_errors(board=board, settings=settings, stored_secrets=stored_secrets)
    if errors:
        raise ValidationError(errors)
    public = {}
    secrets = {}
    for setting in get_adapter(board).settings:
        value = (settings.get(setting.name) or "").strip()
        if setting.secret:
            secrets[setting.name] = value or stored_secrets.get(setting.name, "")
        else:
            public[setting.name] = value
    reconfigured = (
        account.pk is None
        or public != account.public_settings
        or secrets != stored_secrets
        or base_url.rstrip("/") != account.base_url
    )
    account.board, account.name, account.base_url, account.enabled = board, name, base_url.rstrip("/"), enabled
    account.public_settings = public
    account.secrets_encrypted = crypto.encrypt(json.dumps({key: value for key, value in secrets.items() if value}))
    if reconfigured:
        account.needs_attention, account.attention_reason, account.attention_since = False, "", None
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def board_account_clear_attention(*, account: BoardAccount) -> BoardAccount:
    """Say the account's problem is fixed, so sending is allowed again."""
    account.needs_attention, account.attention_reason, account.attention_since = False, "", None
    account.save(update_fields=["needs_attention", "attention_reason", "attention_since", "updated_at"])
    return account


@transaction.atomic
def board_account_mark_attention(*, account_id: int, error: BoardAuthError) -> str:
    """The board refused our credentials: stop sending from this account until someone fixes it. Returns the
    reason recorded, in the adapter's words ("... check the board's Org ID / Account ID and credentials")."""
    account = BoardAccount.objects.select_for_update().get(pk=account_id)
    code = f" {error.status_code}" if error.status_code else ""
    reason = f"{account.name} answered{code}: {account.adapter.check_credentials}."
    if error.detail:
        reason = f"{reason} ({error.detail})"
    account.needs_attention, account.attention_reason, account.attention_since = True, reason, timezone.now()
    account.save(update_fields=["needs_attention", "attention_reason", "attention_since", "updated_at"])
    return reason
