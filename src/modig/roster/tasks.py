"""Background work for large staff lists: each task loads the import by id and calls a
service that claims it with a conditional update, so a task run twice does nothing twice."""

from django.tasks import task

from modig.roster import services


@task
def check_import(import_id: int) -> None:
    services.run_check(import_id)


@task
def commit_import(import_id: int) -> None:
    services.run_commit(import_id)
