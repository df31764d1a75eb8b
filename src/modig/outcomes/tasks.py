"""Background work for the outcome figures: rebuilding a follow-up round's paired
improvement snapshot when a page found it stale."""

from django.tasks import task


@task
def rebuild_improvement(round_id: int) -> None:
    from modig.outcomes import figures
    from modig.surveys.models import Round

    follow_up = Round.objects.filter(pk=round_id).first()
    if follow_up is not None:
        figures.rebuild_improvement(follow_up)
