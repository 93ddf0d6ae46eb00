"""djangosaml2's configuration, built from the active SAML providers, and its backend."""

import shutil

from django.urls import reverse
from djangosaml2.backends import Saml2Backend
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig

from yrkesresan.accounts.backends import UserWithScopeMixin

from .models import IdentityProvider
from .services import account_for


def sp_config(request=None, providers=None):
    """The service provider's pysaml2 configuration: its endpoints at the address the request
    came to, and the metadata of every active SAML provider (by URL, or the stored file), or of
    `providers` when given (none, to write the service provider's own metadata)."""
    base = request.build_absolute_uri("/").rstrip("/") if request else "http://127.0.0.1:8000"
    remote, inline = [], []
    if providers is None:
        providers = IdentityProvider.objects.filter(
            protocol=IdentityProvider.Protocol.SAML, is_active=True
        )
    for provider in providers:
        if provider.metadata_url:
            remote.append({"url": provider.metadata_url})
        elif provider.metadata_xml:
            inline.append(provider.metadata_xml)
    metadata = {}
    if remote:
        metadata["remote"] = remote
    if inline:
        metadata["inline"] = inline
    config = SPConfig()
    config.load(
        {
            "entityid": base + reverse("saml2_metadata"),
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "name": "Yrkesresan",
                    "endpoints": {
                        "assertion_consumer_service": [
                            (base + reverse("saml2_acs"), BINDING_HTTP_POST)
                        ],
                        "single_logout_service": [
                            (base + reverse("saml2_ls"), BINDING_HTTP_REDIRECT),
                            (base + reverse("saml2_ls_post"), BINDING_HTTP_POST),
                        ],
                    },
                    "allow_unsolicited": False,
                    "authn_requests_signed": False,
                    "logout_requests_signed": False,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                }
            },
            "metadata": metadata,
        }
    )
    return config


class FederatedSaml2Backend(UserWithScopeMixin, Saml2Backend):
    """Signs in the existing account a SAML provider vouches for; never makes one."""

    def authenticate(self, request, session_info=None, attribute_mapping=None, **kwargs):
        if not session_info or "ava" not in session_info:
            return None
        provider = IdentityProvider.objects.filter(
            protocol=IdentityProvider.Protocol.SAML,
            entity_id=session_info.get("issuer"),
            is_active=True,
        ).first()
        if provider is None:
            return None
        user = account_for(provider, session_info["ava"])
        return user if self.user_can_authenticate(user) else None
