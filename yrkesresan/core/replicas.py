"""Reads from a streaming replica, for the read-only reports and dashboards (docs/scaling.md).

Only when settings.DATABASES has a "replica" (REPLICA_DATABASE_URL): otherwise every query
goes to "default" and nothing here costs anything.

- `PrimaryReplicaRouter` sends every write, and every read, to the primary, except the reads
  of a request that `ReplicaMiddleware` has marked for the replica.
- `ReplicaMiddleware` marks a GET or HEAD of a view named in settings.REPLICA_READ_VIEWS
  ("namespace:name", or "namespace:*"), unless the replica is too far behind
  (settings.REPLICA_MAX_LAG_SECONDS) or the person has just written: any request that writes
  (an unsafe method, or a query the router sent to the primary for writing) answers with a
  signed cookie that pins its browser to the primary for settings.READ_YOUR_WRITES_SECONDS.
  A forged or stale cookie can only send reads to the primary, which is always correct.
- `replica_status()` is the replica's lag, measured at most once a second per process; the
  health check (`/healthz`) shows it.
"""

import contextvars
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.urls import Resolver404, resolve

REPLICA = "replica"
PIN_COOKIE = "yr_primary"
PIN_SALT = "yrkesresan.core.replicas.pin"
# How long one lag measurement is trusted by a process.
STATUS_SECONDS = 1.0

_use_replica = contextvars.ContextVar("use_replica", default=False)
_wrote = contextvars.ContextVar("wrote", default=False)


def has_replica():
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same database, one a copy of the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# The replica's lag -------------------------------------------------------------------------

# Seconds the replica's replayed data is behind the primary's: 0 when it has replayed all it
# has received (an idle primary sends nothing, so the last replay's age says nothing then).
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    END
"""

_status = {"at": None, "value": None}


def measure_lag():
    """The replica's lag in seconds; raises DatabaseError when it does not answer or is no
    replica (then it must not be used: it could be a stale copy promoted by mistake)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    if lag is None:
        raise DatabaseError("the replica database is not in recovery")
    return float(lag)


def replica_status(*, fresh=False):
    """{"status": "ok" | "behind" | "down" | "none", "lag_seconds", "max_lag_seconds"}."""
    if not has_replica():
        return {"status": "none"}
    now = time.monotonic()
    if fresh or _status["at"] is None or now - _status["at"] > STATUS_SECONDS:
        limit = settings.REPLICA_MAX_LAG_SECONDS
        try:
            lag = measure_lag()
        except DatabaseError as error:
            value = {"status": "down", "lag_seconds": None, "error": str(error).strip()[:200]}
            connections[REPLICA].close()
        else:
            status = "ok" if lag <= limit else "behind"
            value = {"status": status, "lag_seconds": round(lag, 3)}
        value["max_lag_seconds"] = limit
        _status.update(at=now, value=value)
    return _status["value"]


def forget_status():
    """Measure the lag afresh on the next use (tests)."""
    _status.update(at=None, value=None)


def replica_usable():
    return replica_status()["status"] == "ok"


# Which requests read from the replica ------------------------------------------------------


def _matches(match, names):
    if match is None:
        return False
    return match.view_name in names or f"{match.namespace}:*" in names


def is_pinned(request):
    return bool(request.get_signed_cookie(PIN_COOKIE, default="", salt=PIN_SALT))


class ReplicaMiddleware:
    """Marks the reads of a read-only report for the replica, and pins a person who writes to
    the primary. Place it right after SessionMiddleware: what runs before the view (the
    session, the user) then reads from where the view will."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.names = frozenset(getattr(settings, "REPLICA_READ_VIEWS", ()))

    def __call__(self, request):
        if not has_replica():
            request.database = DEFAULT_DB_ALIAS
            return self.get_response(request)
        wrote = _wrote.set(False)
        replica = _use_replica.set(self.wants_replica(request))
        request.database = REPLICA if _use_replica.get() else DEFAULT_DB_ALIAS
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in ("GET", "HEAD", "OPTIONS"):
                response.set_signed_cookie(
                    PIN_COOKIE,
                    "1",
                    salt=PIN_SALT,
                    max_age=settings.READ_YOUR_WRITES_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _use_replica.reset(replica)
            _wrote.reset(wrote)

    def wants_replica(self, request):
        if request.method not in ("GET", "HEAD") or is_pinned(request):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return _matches(match, self.names) and replica_usable()
