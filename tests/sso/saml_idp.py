"""A small but real SAML 2 identity provider (pysaml2's Server) for the tests and `make demo-sso`.

It signs its assertions with a key it makes at start-up, publishes its metadata at /metadata,
asks for a user name and password from a fixed user store (a JSON file, or the default below),
and answers single logout. It reads the service provider's metadata (a file or a URL) on every
request, so it may start before the service provider does.

    python tests/sso/saml_idp.py --port 8291 --sp-metadata http://127.0.0.1:8000/sso/saml/metadata/
"""

import argparse
import datetime
import html
import json
import sys
import tempfile
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

USERS = {
    "anna": {
        "password": "idp-losen",
        "mail": "anna.saml@example.com",
        "givenName": "Anna",
        "sn": "Samlsson",
    },
}


def make_key_pair(folder):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = Path(folder) / "idp.key", Path(folder) / "idp.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class IdentityProvider:
    def __init__(self, base, sp_metadata, users, folder):
        self.base, self.sp_metadata, self.users = base, sp_metadata, users
        self.key_file, self.cert_file = make_key_pair(folder)
        self.server(with_sp=False)  # fails early on a broken configuration

    def server(self, with_sp=True):
        metadata = {}
        if with_sp:
            kind = "remote" if self.sp_metadata.startswith("http") else "local"
            source = {"url": self.sp_metadata} if kind == "remote" else self.sp_metadata
            metadata = {kind: [source]}
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.base}/metadata",
                "service": {
                    "idp": {
                        "name": "Yrkesresan test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                (f"{self.base}/slo/redirect", BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}}},
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": self.key_file,
                "cert_file": self.cert_file,
                "metadata": metadata,
                "xmlsec_binary": "/usr/bin/xmlsec1",
            }
        )
        return Server(config=config)

    def __call__(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            query.update({k: v[0] for k, v in parse_qs(body).items()})
        try:
            if path == "/metadata":
                xml = create_metadata_string(None, self.server(with_sp=False).config)
                return self.respond(start_response, xml, "application/samlmetadata+xml")
            if path == "/sso/redirect":
                return self.login_form(start_response, query)
            if path == "/sso/login" and method == "POST":
                return self.log_in(start_response, query)
            if path == "/slo/redirect":
                return self.log_out(start_response, query)
        except Exception as error:  # a test IdP: tell the test what went wrong
            return self.respond(start_response, f"IdP error: {error!r}", status="400 Bad Request")
        return self.respond(start_response, "Not found", status="404 Not Found")

    def respond(self, start_response, body, content_type="text/html", status="200 OK", **headers):
        if isinstance(body, str):
            body = body.encode()
        start_response(status, [("Content-Type", content_type), *headers.items()])
        return [body]

    def login_form(self, start_response, query, error=""):
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
            for name in ("SAMLRequest", "RelayState")
        )
        page = f"""<!doctype html><html lang="en"><head><title>Test IdP</title></head><body>
<main><h1>Test IdP</h1><p role="alert">{html.escape(error)}</p>
<form method="post" action="{self.base}/sso/login">{hidden}
<label for="user">User name</label><input id="user" name="user">
<label for="password">Password</label><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form></main></body></html>"""
        return self.respond(start_response, page)

    def log_in(self, start_response, query):
        user = self.users.get(query.get("user", ""))
        if user is None or user["password"] != query.get("password"):
            return self.login_form(start_response, query, error="Wrong user name or password")
        idp = self.server()
        request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        args = idp.response_args(request.message, [BINDING_HTTP_POST])
        identity = {k: [v] for k, v in user.items() if k != "password"}
        response = idp.create_authn_response(
            identity,
            userid=query["user"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=query["user"]),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=True,
            **args,
        )
        http = idp.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            args["destination"],
            query.get("RelayState", ""),
            response=True,
        )
        return self.respond(start_response, http["data"])

    def log_out(self, start_response, query):
        idp = self.server()
        request = idp.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        response = idp.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        binding, destination = idp.pick_binding(
            "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", entity_id=request.issuer.text
        )
        http = idp.apply_binding(
            binding, str(response), destination, query.get("RelayState", ""), response=True
        )
        location = dict(http["headers"])["Location"]
        return self.respond(start_response, "", status="302 Found", Location=location)


class ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread a request: while the IdP reads the service provider's metadata, the service
    provider may be reading the IdP's."""

    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8291)
    parser.add_argument("--sp-metadata", required=True, help="a file or a URL")
    parser.add_argument("--users", help="a JSON file: {user: {password, mail, givenName, sn}}")
    args = parser.parse_args(argv)
    users = json.loads(Path(args.users).read_text()) if args.users else USERS
    with tempfile.TemporaryDirectory() as folder:
        base = f"http://127.0.0.1:{args.port}"
        app = IdentityProvider(base, args.sp_metadata, users, folder)
        with make_server(
            "127.0.0.1", args.port, app, ThreadingServer, handler_class=QuietHandler
        ) as httpd:
            print(f"SAML IdP on {base}/metadata", flush=True)
            httpd.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
