import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "modig.settings")
# The respondent pages get a leaner middleware stack (surveys.respond_handler).
_django = get_wsgi_application()

from modig.surveys.respond_handler import RespondentAwareApplication  # noqa: E402

application = RespondentAwareApplication(_django)
