"""Signals other apps listen to, so the domain does not import them."""

from django.dispatch import Signal

# Sent once the closing or cancelling of a vacancy is committed, with `vacancy`; the boards take its adverts down.
vacancy_ended = Signal()
