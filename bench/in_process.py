"""Django in this process, on the bench database: for the profiling tools (explain.py,
profile_page.py, profile_rush.py), which request pages through Django's test client.

The bench's settings (production settings and the floor view), plain HTTP, a key made up for
the run and the test client's host name; DATABASE_URL names the bench database.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
