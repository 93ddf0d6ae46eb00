"""Two editors publishing the same course at the same moment: one version is published, the
other editor is refused with a conflict, and nothing is lost (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import CourseVersion
from yrkesresan.catalog.services import VersionConflict, publish_draft, start_draft
from yrkesresan.core.testing import make_catalog


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_publishes_one_wins_and_the_other_gets_a_conflict():
    _journey, _steps, _elderly, course = make_catalog()
    editors = [User.objects.create_user(f"redaktor{n}@example.com", "x") for n in range(2)]
    draft = start_draft(course, by=editors[0])
    go = threading.Event()

    def publish(n):
        go.wait(timeout=30)
        try:
            mine = CourseVersion.objects.get(pk=draft.pk)
            publish_draft(mine, by=editors[n], number=f"2.{n + 1}", change_note=f"Ändring {n}")
            return "published"
        except VersionConflict:
            return "conflict"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(publish, n) for n in range(2)]
        go.set()
        outcomes = sorted(future.result() for future in futures)
    assert outcomes == ["conflict", "published"]
    [version] = CourseVersion.objects.filter(course=course)
    course.refresh_from_db()
    assert version.is_published and course.version == version.number
    assert version.change_note == f"Ändring {int(version.number[-1]) - 1}"
