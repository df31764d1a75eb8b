"""Signals other apps listen to, so organisation never imports the apps built on it."""

from django.dispatch import Signal

# Sent inside merge_people's transaction, before `duplicate` is deleted, with keep= and
# duplicate=: apps move their own records (survey invitations, enrolments …) to `keep`.
people_merged = Signal()
