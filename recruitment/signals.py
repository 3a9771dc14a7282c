"""Signals other apps listen to, so the domain does not import them."""

from django.dispatch import Signal

# Sent once the closing or cancelling of a vacancy is committed, with `vacancy`; the boards take its adverts down.
vacancy_ended = Signal()
# Sent once a vacancy's details change or it is advertised (committed), with `vacancy`; the boards that take a whole
# feed at a time sync it.
vacancy_changed = Signal()
