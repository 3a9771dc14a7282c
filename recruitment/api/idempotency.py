"""Idempotency-Key handling for POSTs: a repeat returns the first answer; the same key with another body is refused."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from recruitment.api.errors import problem
from recruitment.errors import DomainError
from recruitment.models import IdempotencyRecord, PartnerClient

HEADER = "Idempotency-Key"


def request_fingerprint(request) -> str:
    """A digest of who sent what: the acting user, the form fields, and each uploaded file's name and content.

    The user is part of it, so one user of a partner client never receives another's stored answer.
    """
    digest = hashlib.sha256(f"user:{request.user.pk}\0".encode())
    fields = {
        key: request.data.getlist(key) if hasattr(request.data, "getlist") else request.data[key]
        for key in request.data
    }
    fields = {key: value for key, value in fields.items() if key not in request.FILES}
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    for name in sorted(request.FILES):
        upload = request.FILES[name]
        digest.update(f"\0{name}\0{upload.name}\0".encode())
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_fingerprint != fingerprint:
        return problem(422, f"This {HEADER} was already used with a different request.")
    response = Response(record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"})
    if record.response_status >= 400:
        response.content_type = "application/problem+json"
    return response


def idempotent(request, client: PartnerClient, create: Callable[[], Response]) -> Response:
    """Run `create` once per (client, Idempotency-Key); without the header, just run it.

    The record is written in the same transaction as what `create` writes. A concurrent repeat either waits on the
    unique key, or fails on what the first request created (the same candidate and job): either way it then finds
    the first request's record and replays its answer.
    """
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return create()
    if len(key) > 255:
        return problem(400, f"The {HEADER} header must be at most 255 characters.")
    fingerprint = request_fingerprint(request)
    existing = IdempotencyRecord.objects.filter(client=client, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            response = create()
            IdempotencyRecord.objects.create(
                client=client,
                key=key,
                request_fingerprint=fingerprint,
                response_status=response.status_code,
                response_body=response.data,
            )
            return response
    except (IntegrityError, DomainError):
        existing = IdempotencyRecord.objects.filter(client=client, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
