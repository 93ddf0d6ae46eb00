"""The production settings plus the benchmark's floor view (core/urls.py mounts it).

`make bench` runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings; everything else comes
from the environment exactly as in production (DEBUG=0, a generated SECRET_KEY).
"""

from config.settings import *  # noqa: F403

BENCH_FLOOR = True
