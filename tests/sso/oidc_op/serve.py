"""Start the test OpenID Connect provider: a fresh SQLite database, an RSA signing key, the
users (password "idp-losen") and one confidential client for the relying party, then serve.

    python tests/sso/oidc_op/serve.py --port 8292 --redirect-uri http://127.0.0.1:8000/sso/oidc/callback/
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urljoin
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "yrkesresan"
CLIENT_SECRET = "yrkesresan-test-secret"
PASSWORD = "idp-losen"
USERS = {"bo": {"email": "bo.oidc@example.com", "first_name": "Bo", "last_name": "Oidcsson"}}


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8292)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--users", help="a JSON file: {user: {email, first_name, last_name}}")
    parser.add_argument("--client-id", default=CLIENT_ID)
    parser.add_argument("--client-secret", default=CLIENT_SECRET)
    args = parser.parse_args(argv)
    users = json.loads(Path(args.users).read_text()) if args.users else USERS
    with tempfile.TemporaryDirectory() as folder:
        os.environ["OIDC_OP_DB"] = str(Path(folder) / "op.sqlite3")
        os.environ["OIDC_OP_BASE"] = f"http://127.0.0.1:{args.port}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.oidc_op.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application
        from oidc_provider.models import Client, ResponseType

        call_command("migrate", verbosity=0)
        call_command("creatersakey")
        for name, fields in users.items():
            User.objects.create_user(name, password=PASSWORD, **fields)
        client = Client.objects.create(
            name="Yrkesresan",
            client_type="confidential",
            client_id=args.client_id,
            client_secret=args.client_secret,
            jwt_alg="RS256",
            require_consent=False,
            reuse_consent=False,
            redirect_uris=args.redirect_uri,
            post_logout_redirect_uris=[urljoin(uri, "/") for uri in args.redirect_uri],
        )
        client.response_types.add(ResponseType.objects.get(value="code"))
        app = get_wsgi_application()
        with make_server(
            "127.0.0.1", args.port, app, ThreadingServer, handler_class=QuietHandler
        ) as httpd:
            print(f"OpenID provider on {os.environ['OIDC_OP_BASE']}", flush=True)
            httpd.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
