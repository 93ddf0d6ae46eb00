"""Sessions in the database, read with a query compiled once per connection.

Django's database store builds and compiles the same `SELECT … FROM django_session WHERE
session_key = %s AND expire_date > %s` on every request: about ten times the CPU that
PostgreSQL needs to answer it. This store runs it compiled (core/compiled.py); writing,
expiry, a new key at login and logging out are Django's own (bench/README.md has the figures).
It reads from the database the router gives (a report's request: the replica), as the ORM did.
"""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from .compiled import CompiledQuery

SESSION_QUERY = CompiledQuery(
    lambda session_key, now: (
        Session.objects.filter(session_key=session_key, expire_date__gt=now)
        .order_by()
        .values_list("session_data")
    ),
    session_key="sentinel:session-key",
    now=datetime.datetime(2001, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def load(self):
        # As db.SessionStore.load: an unknown or expired key starts an empty session.
        rows = SESSION_QUERY.rows(
            using=router.db_for_read(Session), session_key=self.session_key, now=timezone.now()
        )
        if not rows:
            self._session_key = None
            return {}
        return self.decode(rows[0][0])
