"""The HR-system API, mounted at /api/v1/: django-ninja's routes (api.py), each wrapped by
api.english, the OpenAPI document, and a JSON 404 for every other address."""

from django.urls import URLPattern, path, re_path

from . import api

app_name = "api"

# django-ninja gives a pattern per operation; the first of a path answers all its methods.
routes = {}
for pattern in api.api.urls[0]:
    if isinstance(pattern, URLPattern) and pattern.name != "api-root":
        routes.setdefault(str(pattern.pattern), pattern)

urlpatterns = [
    path("openapi.json", api.openapi_document, name="openapi"),
    *(
        URLPattern(
            pattern.pattern, api.english(pattern.callback), pattern.default_args, pattern.name
        )
        for pattern in routes.values()
    ),
    # Last: every other address under /api/v1/ answers a JSON 404.
    re_path(r"^(?P<path>.*)$", api.not_found, name="not_found"),
]
