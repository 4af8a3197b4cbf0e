"""Settings under the environments Kunlu is deployed in, each imported afresh in a subprocess.

Production behind HTTPS passes `check --deploy`; plain intranet HTTP does not mark cookies secure; the
secret key is generated once, privately, outside the repository; DEBUG is off unless asked for; the
database, timeouts and bounds follow the environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from kunlu.config import settings as kunlu_settings

PACKAGE = Path(__file__).resolve().parents[2]
REPO = PACKAGE.parents[1]
KUNLU = Path(sys.executable).parent / "kunlu"
HOST = "kunlu.example.gov.cn"


def _env(data_dir: Path | None, **extra: str) -> dict[str, str]:
    """The current environment without any Kunlu or database setting, plus the given ones."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KUNLU_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    if data_dir is not None:
        env["KUNLU_DATA_DIR"] = str(data_dir)
    return {**env, **extra}


def _python(code: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _settings(tmp_path: Path, names: list[str], data_dir: Path | None = None, **env: str) -> dict[str, Any]:
    """Selected settings as a fresh process sees them under the given environment."""
    code = (
        "import json; from kunlu.config import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    data_dir = tmp_path / "data" if data_dir is None else data_dir
    return json.loads(_python(code, _env(data_dir, **env), tmp_path))  # type: ignore[no-any-return]


# -- check --deploy ----------------------------------------------------------------------------------


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KUNLU), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path / "data", KUNLU_ALLOWED_HOSTS=HOST, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_behind_https(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path, KUNLU_HTTPS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_flags_plain_http(tmp_path: Path) -> None:
    """The clean result above is the HTTPS settings' doing: without them the same check complains."""
    done = _check_deploy(tmp_path)
    assert done.returncode != 0
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in done.stderr + done.stdout


# -- cookies and HTTPS -------------------------------------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
settings.STORAGES = {**settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST=%(host)r)
direct = client.get("/login/", secure=True)
proxied = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/login/")
print(json.dumps({
    "status": [direct.status_code, proxied.status_code, plain.status_code],
    "plain_location": plain.get("Location"),
    "csrf_cookie_secure": bool(direct.cookies["csrftoken"]["secure"]),
    "csrf_cookie_httponly": bool(direct.cookies["csrftoken"]["httponly"]),
    "hsts": direct.get("Strict-Transport-Security"),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def _probe(tmp_path: Path, **env: str) -> dict[str, Any]:
    code = PROBE % {"host": HOST}
    environ = _env(
        tmp_path / "data", DJANGO_SETTINGS_MODULE="kunlu.config.settings", KUNLU_ALLOWED_HOSTS=HOST
    )
    return json.loads(_python(code, {**environ, **env}, tmp_path))  # type: ignore[no-any-return]


def test_https_marks_cookies_secure_and_sends_hsts(tmp_path: Path) -> None:
    seen = _probe(tmp_path, KUNLU_HTTPS="1")
    assert seen["status"] == [200, 200, 301]  # direct TLS, TLS ended at the proxy, plain http redirected
    assert seen["plain_location"] == f"https://{HOST}/login/"
    assert seen["csrf_cookie_secure"] is True
    assert seen["session_cookie_secure"] is True
    assert seen["csrf_cookie_httponly"] is True
    assert seen["session_cookie_httponly"] is True
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_intranet_http_does_not_mark_cookies_secure(tmp_path: Path) -> None:
    seen = _probe(tmp_path)
    assert seen["status"] == [200, 200, 200]  # no redirect to an https that does not exist
    assert seen["csrf_cookie_secure"] is False
    assert seen["session_cookie_secure"] is False
    assert seen["session_cookie_httponly"] is True
    assert seen["hsts"] is None


# -- secret key --------------------------------------------------------------------------------------

KEY = "import os; os.umask(0); from kunlu.config import settings as s; print(s.SECRET_KEY)"


def test_secret_key_is_generated_on_first_run_private_and_reused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    key_file = data / "secret_key"
    assert not key_file.exists()
    first = _python(KEY, _env(data), tmp_path)  # umask 0: the file's privacy may not rest on the umask
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first) >= 50 and len(set(first)) >= 5
    assert _python(KEY, _env(data), tmp_path) == first
    other = tmp_path / "other"
    assert _python(KEY, _env(other), tmp_path) != first  # a key per installation, not a constant


def test_secret_key_from_the_environment_writes_no_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    key = "k" * 20 + "-given-by-the-operator-" + "z" * 20
    assert _python(KEY, _env(data, KUNLU_SECRET_KEY=key), tmp_path) == key
    assert not (data / "secret_key").exists()


def test_secret_key_defaults_to_the_user_data_dir_not_the_repository(tmp_path: Path) -> None:
    env = _env(None, HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"))
    key = _python(KEY, env, REPO)  # even when started from the repository
    key_file = tmp_path / "xdg" / "kunlu" / "secret_key"
    assert key_file.read_text().strip() == key
    assert list(PACKAGE.rglob("secret_key")) == []
    assert not (REPO / "secret_key").exists()


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    """Web server and worker started at once on a fresh install must not each keep a different key,
    nor read a half-written (empty) one."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, to open the window between test and write
    try:
        for attempt in range(40):
            data = tmp_path / f"d{attempt}"
            data.mkdir()
            keys: list[str] = []
            start = threading.Barrier(8)

            def first_run(
                data: Path = data, keys: list[str] = keys, start: threading.Barrier = start
            ) -> None:
                start.wait()
                keys.append(kunlu_settings._secret_key(data))

            threads = [threading.Thread(target=first_run) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(keys) == 8
            assert len(set(keys)) == 1 and keys[0], f"attempt {attempt}: {len(set(keys))} keys {keys!r:.200}"
            assert keys[0] == (data / "secret_key").read_text().strip()
            assert [p.name for p in data.iterdir()] == ["secret_key"]
    finally:
        sys.setswitchinterval(interval)


# -- debug, database, bounds -------------------------------------------------------------------------


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert _settings(tmp_path, ["DEBUG"])["DEBUG"] is False
    for value in ["0", "", "no", "false"]:
        assert _settings(tmp_path, ["DEBUG"], KUNLU_DEBUG=value)["DEBUG"] is False, value
    assert _settings(tmp_path, ["DEBUG"], KUNLU_DEBUG="1")["DEBUG"] is True


def test_database_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    db = _settings(tmp_path, ["DATABASES"])["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == (tmp_path / "data" / "kunlu.sqlite3").resolve()


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    url = "postgres://kunlu:s3cret@db.example.gov.cn:5433/kunlu_prod"
    db = _settings(tmp_path, ["DATABASES"], DATABASE_URL=url)["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"], db["USER"]) == (
        "kunlu_prod",
        "db.example.gov.cn",
        5433,
        "kunlu",
    )
    assert "transaction_mode" not in db.get("OPTIONS", {})  # the SQLite tuning stays with SQLite


NAMES = [
    "SESSION_IDLE_SECONDS",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
    "KUNLU_UPLOAD_MAX_BYTES",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "ALLOWED_HOSTS",
]


def test_defaults_of_the_security_settings(tmp_path: Path) -> None:
    seen = _settings(tmp_path, NAMES)
    assert seen["SESSION_IDLE_SECONDS"] == 30 * 60
    assert seen["AXES_FAILURE_LIMIT"] == 5
    assert seen["AXES_LOCKOUT_PARAMETERS"] == ["username"]
    assert seen["KUNLU_UPLOAD_MAX_BYTES"] == 20 * 1024 * 1024
    assert seen["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 5 * 1024 * 1024
    assert seen["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_security_settings_follow_the_environment(tmp_path: Path) -> None:
    seen = _settings(
        tmp_path,
        NAMES,
        KUNLU_SESSION_IDLE_MINUTES="5",
        KUNLU_UPLOAD_MAX_MB="3",
        KUNLU_ALLOWED_HOSTS=f"{HOST}, 10.1.2.3",
    )
    assert seen["SESSION_IDLE_SECONDS"] == 300
    assert seen["KUNLU_UPLOAD_MAX_BYTES"] == 3 * 1024 * 1024
    assert seen["ALLOWED_HOSTS"] == [HOST, "10.1.2.3"]
