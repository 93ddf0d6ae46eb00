from django.conf import settings
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

# The benchmark's floor: a bare view rendering a tiny template (bench/README.md). Mounted only
# when the bench's settings (bench/settings.py) set BENCH_FLOOR.
if getattr(settings, "BENCH_FLOOR", False):
    urlpatterns.append(path("bench/floor", views.floor, name="bench_floor"))
