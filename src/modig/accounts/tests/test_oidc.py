"""OpenID Connect is switched on by configuration; with it, the log-in page offers it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.urls import reverse
print(reverse("oidc_authentication_init"))
backends = settings.AUTHENTICATION_BACKENDS
print("backend" if "modig.accounts.backends.ModigOIDCBackend" in backends else "none")
"""


def test_oidc_is_switched_on_by_its_client_id(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MODIG_", "OIDC_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="modig.settings", MODIG_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT / "src"), OIDC_RP_CLIENT_ID="modig",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example/authorize",
    )
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            env=environment, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/oidc/authenticate/", "backend"]


def test_oidc_backend_only_accepts_existing_users(db):
    from modig.accounts.backends import ModigOIDCBackend
    from modig.accounts.models import User

    User.objects.create_user("kim@ale.example", "x" * 12)
    backend = ModigOIDCBackend.__new__(ModigOIDCBackend)
    backend.UserModel = User
    assert backend.filter_users_by_claims({"email": "KIM@ale.example"}).count() == 1
    assert backend.filter_users_by_claims({"email": "someone@else.example"}).count() == 0
    assert backend.filter_users_by_claims({}).count() == 0
