"""The production settings plus the benchmark's floor view (core/urls.py mounts it).

`make bench` runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings; everything else comes
from the environment exactly as in production (DEBUG=0, a generated SECRET_KEY).
"""

from config.settings import *  # noqa: F403

BENCH_FLOOR = True

# The bench loads one coordinator's token with thousands of requests a second and fires the
# registration rush from one token: the limits are counted (their cost is measured) but never
# reached.
RATE_LIMITS = {name: "100000000/s" for name in RATE_LIMITS}  # noqa: F405
