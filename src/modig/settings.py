"""Modig settings: every value comes from an environment variable with a safe default.

See docs/deploy.md for the full list. `MODIG_PRODUCTION=1` turns on the settings that
`manage.py check --deploy` asks for and refuses to start without a real SECRET_KEY.
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MODIG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("MODIG_PRODUCTION")
DEBUG = env_bool("MODIG_DEBUG", default=False) and not PRODUCTION


def _secret_key() -> str:
    """A real key from the environment; outside production a key kept in var/ is made once."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when MODIG_PRODUCTION=1")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "modig.lib",
    "modig.accounts",
    "modig.organisation",
    "modig.roster",
    "modig.competence",
    "modig.surveys",
    "modig.training",
    "modig.demo",
    "modig.ambassadors",
    "modig.learning",
    "modig.plans",
    "modig.outcomes",
    "modig.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "modig.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The respondent pages (/s/ and /svara/, surveys.respond_urls) are served by a second handler
# with this shorter stack (surveys.respond_handler, modig.wsgi): no session, user, two-factor,
# messages, htmx or log-in lockout, which those public pages never use; security headers,
# language, CSRF, X-Frame-Options and CSP as everywhere. PublicViewsOnly answers 404 for a view
# there that is not marked public. Keep the two lists in step when adding a middleware.
RESPONDENT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "modig.surveys.respond_handler.PublicViewsOnly",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "modig.urls"
WSGI_APPLICATION = "modig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "modig.accounts.context_processors.roles",
            ],
        },
    },
]

# Databases: SQLite under var/ by default, PostgreSQL (or another) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'modig.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file too: Django's default in-memory test database shares one cache between
    # connections, where two writers fail at once with "database table is locked" instead of
    # queueing on busy_timeout as they do in a real deployment (pytest-django adds a suffix per
    # xdist worker and deletes the file afterwards). The process id keeps two test runs on one
    # machine apart.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"modig-test-{os.getpid()}.sqlite3")
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # A health check is one more round trip (SELECT 1) at the start of every request that
    # reuses a connection: about a quarter of the statements of a survey page. Turn it on where
    # the database can restart or fail over behind Modig's back (docs/deploy.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("MODIG_DB_HEALTH_CHECKS", default=False)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django connects with psycopg's prepare_threshold=None, which turns statement
        # preparation off altogether, even for a cursor that asks for it. Django's own cursors
        # bind on the client and never prepare, whatever this says; the respondent hot path's
        # cursor (lib/prepared) asks for each statement to be prepared, and needs this set.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "modig.accounts.backends.EmailBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed log-ins (django-axes): per account and address.
AXES_FAILURE_LIMIT = int(os.environ.get("MODIG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("MODIG_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (TOTP) is required for these roles.
OTP_TOTP_ISSUER = os.environ.get("MODIG_OTP_ISSUER", "Modig")
MODIG_REQUIRE_2FA = env_bool("MODIG_REQUIRE_2FA", default=True)

# OpenID Connect (for example Entra ID) is switched on by setting its client id.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("modig.accounts.backends.ModigOIDCBackend")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_CREATE_USER = False
    LOGIN_REDIRECT_URL_FAILURE = "/konto/logga-in/"
MODIG_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)

# Internationalisation: Swedish first, English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# Static files, served by WhiteNoise from one directory collected at start.
STATIC_URL = "/static/"
# The project's own stylesheet lives in src/modig/static, which is not an app's static folder.
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("MODIG_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("MODIG_MANIFEST_STATIC", default=PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not env_bool("MODIG_MANIFEST_STATIC", default=PRODUCTION)

# Uploads: roster files can be large; the import itself enforces MODIG_MAX_UPLOAD_MB.
MODIG_MAX_UPLOAD_MB = int(os.environ.get("MODIG_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work through Django's tasks API; the database-backed queue by default.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MODIG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache",
         "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# E-mail (Django 6.1 MAILERS): printed to the console unless an SMTP host is configured.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Modig <noreply@modig.local>")

# A strict Content-Security-Policy: own origin only, no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("MODIG_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("MODIG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("MODIG_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Structured logs: one JSON object per line on stderr. Survey and check-in link tokens are
# blanked in every record (lib/access_log.RedactLinks), e.g. Django's "Not Found: /s/…/".
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
# One line per request on standard output, written by `modig.served` (lib/access_log.AccessLog);
# 0 where a server or proxy in front keeps the access log instead.
MODIG_ACCESS_LOG = env_bool("MODIG_ACCESS_LOG", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_links": {"()": "modig.lib.access_log.RedactLinks"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "filters": ["redact_links"]}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The programme's privacy floor: no aggregate of people smaller than this is shown.
MODIG_MIN_GROUP_SIZE_FLOOR = 3

# Roles that see a person's full identity number (every full view is logged).
MODIG_IDENTITY_NUMBER_ROLES = env_list("MODIG_IDENTITY_NUMBER_ROLES", "programme_admin")

# Survey messages: the public address used in links and letters, and the SMS provider (a dotted
# path to a class with send(to, body); the console backend prints messages, for the demo).
MODIG_PUBLIC_URL = os.environ.get("MODIG_PUBLIC_URL", "http://127.0.0.1:8000")
MODIG_SMS_BACKEND = os.environ.get(
    "MODIG_SMS_BACKEND", "modig.surveys.messaging.ConsoleSmsBackend"
)
