"""Checking the links in the content: preparation modules, course material and laws.

`links_in_content()` gathers every link with where it was found; `check(url)` asks the server
(HEAD, then GET when HEAD is refused) without following the link's content; `check_links()`
records the outcome of each in LinkCheck, replacing the previous run's.
"""

import re
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from yrkesresan.catalog.models import LegalReference, PreparationTask

from .models import LinkCheck, Material

LINK = re.compile(r"https?://[^\s<>()\[\]\"']+")
TIMEOUT = 10
USER_AGENT = "Yrkesresan link check"


def links_in_content():
    """[(url, course or None, found in)] of every link in the content, each once."""
    found = {}
    for task in PreparationTask.objects.select_related("course"):
        for url in {task.url, *LINK.findall(task.body)} - {""}:
            found[(url, task.course_id)] = (url, task.course, f"Förberedelse: {task.title}")
    for material in Material.objects.select_related("course"):
        for url in {material.url, *LINK.findall(material.body)} - {""}:
            found[(url, material.course_id)] = (url, material.course, f"Material: {material.title}")
    for law in LegalReference.objects.exclude(url=""):
        found[(law.url, None)] = (law.url, None, f"Lag: {law}")
    return list(found.values())


def check(url):
    """(works, status or None, error text)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return True, response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD; ask again with GET
            return False, error.code, ""
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            return False, None, str(getattr(error, "reason", error))[:300]
    return False, None, ""


def check_links(links=None):
    """Check every link and record the outcome; returns the LinkChecks."""
    links = links_in_content() if links is None else links
    now = timezone.now()
    results = [
        LinkCheck(url=url, course=course, found_in=where[:300], checked_at=now,
                  **dict(zip(("ok", "status", "error"), check(url), strict=True)))
        for url, course, where in links
    ]  # fmt: skip
    with transaction.atomic():
        LinkCheck.objects.all().delete()
        return LinkCheck.objects.bulk_create(results)
