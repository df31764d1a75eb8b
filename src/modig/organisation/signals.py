"""Signals other apps listen to, so organisation never imports the apps built on it."""

from django.dispatch import Signal

# Sent inside merge_people's transaction, before `duplicate` is deleted, with keep= and
# duplicate=: apps move their own records (survey invitations, enrolments …) to `keep`.
people_merged = Signal()

# Sent after the transaction that linked employments to units has committed (a roster import's
# new employments and moved staff), with employment_ids=: apps give newcomers what their
# unit already has (learning needs, introduction tasks …). Receivers must not fail the import.
staff_joined_units = Signal()


def announce_staff_joined(employment_ids) -> None:
    """Send staff_joined_units once the current transaction commits (at once outside one)."""
    from django.db import transaction

    ids = sorted(set(employment_ids))
    if ids:
        transaction.on_commit(
            lambda: staff_joined_units.send_robust(sender=None, employment_ids=ids),
            robust=True)
