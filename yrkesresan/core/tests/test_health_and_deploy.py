import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("yrkesresan.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x8#kq2!v9s@l4m7p0r3t6w1z5b8e2h4j7n0q3u6y9c1f4i7o0s3v6a9d2g5k8m1p4",
        "ALLOWED_HOSTS": "yrkesresan.example.se",
    }
    env.pop("HTTPS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_responses_carry_security_headers(client):
    response = client.get(reverse("home:home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_typo_in_a_boolean_setting_fails_loudly():
    env = {**os.environ, "DEBUG": "ja"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def settings_load(**env_changes):
    env = {**os.environ, **env_changes}
    for name in ("SECRET_KEY", "SECRET_KEY_FILE"):
        if name not in env_changes:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = settings_load(DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert settings_load(DEBUG="0", SECRET_KEY="").returncode != 0


def test_a_development_copy_or_a_server_with_a_key_starts():
    assert settings_load(DEBUG="1").returncode == 0
    assert settings_load(DEBUG="0", SECRET_KEY="k" * 50).returncode == 0
