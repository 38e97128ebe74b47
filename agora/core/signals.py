"""Signals any app may send or receive."""

from django.dispatch import Signal

#: Sent by code that changes a row without `save()` (a conditional update, as lifecycles do),
#: with `sender` the model and `instance` the object as it is now, after the update.
changed = Signal()
