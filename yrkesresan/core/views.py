from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .replicas import replica_status


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers).

    With a streaming replica, "replica" tells its state and lag; a replica that is down or too
    far behind is not used (reads go to the primary), so it does not fail the check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "replica": replica_status()})


def floor(request):
    """The benchmark's floor: what a request through the middleware and a tiny template costs.

    Only mounted by the benchmark (core/urls.py, BENCH_FLOOR).
    """
    return render(request, "core/bench_floor.html", {"greeting": "Hej"})
