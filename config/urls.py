from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future locale-prefixed URLs)
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("yrkesresan.core.urls")),
    path("konto/", include("yrkesresan.accounts.urls")),
    path("", include("yrkesresan.catalog.urls")),
    path("organisationer/", include("yrkesresan.organisations.urls")),
    path("", include("yrkesresan.learning.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
