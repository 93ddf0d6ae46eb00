"""Start the test identity providers as real processes on 127.0.0.1 and stop them again."""

import json
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from saml2.metadata import create_metadata_string

HERE = Path(__file__).resolve().parent
IDP_PASSWORD = "idp-losen"


def wait_for_port(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The identity provider on port {port} stopped: {process.args}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Nothing answered on port {port}")


@contextmanager
def saml_idp(port, sp_config, users):
    """A pysaml2 IdP process on the port, knowing the service provider from `sp_config` (a
    pysaml2 SPConfig) and signing in `users` ({user name: attributes}, password IDP_PASSWORD)."""
    with tempfile.TemporaryDirectory() as folder:
        sp_metadata = Path(folder) / "sp.xml"
        sp_metadata.write_bytes(create_metadata_string(None, sp_config))
        users_file = Path(folder) / "users.json"
        users_file.write_text(
            json.dumps({name: {"password": IDP_PASSWORD, **a} for name, a in users.items()})
        )
        process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "saml_idp.py"),
                "--port",
                str(port),
                "--sp-metadata",
                str(sp_metadata),
                "--users",
                str(users_file),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)


@contextmanager
def oidc_provider(port, redirect_uri, users, client_secret=None):
    """A django-oidc-provider process (tests/sso/oidc_op) on the port, with a client for
    `redirect_uri` and `users` ({user name: {email, first_name, last_name}}, password
    IDP_PASSWORD). Yields its base URL; the client is oidc_op.serve's CLIENT_ID/SECRET."""
    with tempfile.TemporaryDirectory() as folder:
        users_file = Path(folder) / "users.json"
        users_file.write_text(json.dumps(users))
        process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "oidc_op" / "serve.py"),
                "--port",
                str(port),
                "--redirect-uri",
                redirect_uri,
                "--users",
                str(users_file),
                *(["--client-secret", client_secret] if client_secret else []),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process, seconds=60)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)
