from django.contrib import admin
from django.urls import include, path

from yrkesresan.sso.urls import saml_urlpatterns

urlpatterns = [
    path("", include("yrkesresan.core.urls")),
    path("", include("yrkesresan.home.urls")),
    path("konto/", include("yrkesresan.accounts.urls")),
    path("sso/", include("yrkesresan.sso.urls")),
    path("sso/", include(saml_urlpatterns)),
    path("", include("yrkesresan.learning.catalog_urls")),
    path("", include("yrkesresan.reports.urls")),
    path("", include("yrkesresan.learning.urls")),
    path("omgangar/", include("yrkesresan.rounds.urls")),
    path("omgangar/", include("yrkesresan.enrolment.urls")),
    path("omgangar/", include("yrkesresan.enrolment.import_urls")),
    path("api/v1/", include("yrkesresan.enrolment.api_urls")),
    path("kalender/", include("yrkesresan.notifications.urls")),
    path("", include("yrkesresan.staffing.urls")),
    path("", include("yrkesresan.learning.participant_urls")),
    path("", include("yrkesresan.learning.leader_urls")),
    path("", include("yrkesresan.learning.record_urls")),
    path("kollegor/", include("yrkesresan.learning.colleague_urls")),
    path("utvardering/", include("yrkesresan.evaluations.urls")),
    path("material/", include("yrkesresan.materials.urls")),
    path("redaktion/", include("yrkesresan.catalog.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
