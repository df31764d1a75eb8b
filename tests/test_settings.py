"""Production settings and the embedded database's configuration."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MODIG_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120, check=False,
    )


def test_production_mode_passes_check_deploy(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        MODIG_PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="modig.example.se", MODIG_VAR_DIR=str(tmp_path),
        EMAIL_HOST="smtp.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", MODIG_PRODUCTION="1", MODIG_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_logs_are_json_lines(tmp_path):
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('modig').warning('hello', extra={'unit': 7})"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MODIG_")}
    environment.update(DJANGO_SETTINGS_MODULE="modig.settings", MODIG_VAR_DIR=str(tmp_path),
                       PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=environment, timeout=60, check=False)
    import json

    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "hello"
    assert record["level"] == "WARNING"
    assert record["unit"] == 7
