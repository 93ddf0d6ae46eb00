from django.urls import path
from djangosaml2 import views as saml_views

from . import oidc, views

app_name = "sso"

urlpatterns = [
    path("inloggning/", views.start, name="start"),
    path("utloggning/", views.logout, name="logout"),
    path("engangskod/", views.totp, name="totp"),
    path("reservkoder/", views.recovery_codes, name="recovery_codes"),
    path("oidc/login/", oidc.AuthenticationRequestView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.AuthenticationCallbackView.as_view(), name="oidc_callback"),
]

# djangosaml2's views under the names its code reverses (saml2_*), outside the namespace.
saml_urlpatterns = [
    path("saml/login/", views.SamlLoginView.as_view(), name="saml2_login"),
    path("saml/acs/", views.AssertionConsumerServiceView.as_view(), name="saml2_acs"),
    path("saml/logout/", views.SamlLogoutInitView.as_view(), name="saml2_logout"),
    path("saml/ls/", saml_views.LogoutView.as_view(), name="saml2_ls"),
    path("saml/ls/post/", saml_views.LogoutView.as_view(), name="saml2_ls_post"),
    path("saml/metadata/", saml_views.MetadataView.as_view(), name="saml2_metadata"),
]
