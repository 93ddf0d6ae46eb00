"""The HR-system API, mounted at /api/v1/ (see api.py and openapi.py)."""

from django.urls import path, re_path

from . import api

app_name = "api"

urlpatterns = [
    path("openapi.json", api.openapi_document, name="openapi"),
    path("rounds", api.round_list, name="round_list"),
    path("rounds/<int:round_id>", api.round_detail, name="round_detail"),
    path(
        "rounds/<int:round_id>/registrations",
        api.round_registrations,
        name="round_registrations",
    ),
    path(
        "registrations/<int:registration_id>",
        api.registration_detail,
        name="registration_detail",
    ),
    # Last: every other address under /api/v1/ answers a JSON 404.
    re_path(r"^(?P<path>.*)$", api.not_found, name="not_found"),
]
