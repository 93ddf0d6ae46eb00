"""Profile the API registration path in one process: queries per request and pyinstrument.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yrkesresan_bench \\
        .venv/bin/python bench/profile_rush.py [--people 200] [--seats 50] [--html out.html]

Needs the bench database (make bench makes it) and pyinstrument (the bench extra). Creates a
fresh round and people like the rush, registers them one after another through the API with
Django's test client, and prints the SQL of one registration that got a seat and one that went
to the waiting list, the time per registration, and pyinstrument's profile of the whole loop.
"""

import argparse
import time
from pathlib import Path

from in_process import setup_django  # bench/, this script's folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--html", help="also write pyinstrument's HTML here")
    parser.add_argument("--no-profile", action="store_true", help="time without the profiler")
    options = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from bench.support import prepare_rush

    data = prepare_rush(options.people, options.seats)
    client = Client()
    headers = {"Authorization": f"Bearer {data['token']}"}
    path = f"/api/v1/rounds/{data['round']}/registrations"

    def register(email):
        response = client.post(
            path, {"email": email}, content_type="application/json", headers=headers
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])
        return response.json()["status"]

    class Log(list):
        def __call__(self, execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.append((time.perf_counter() - started, sql))

    def logged(email):
        log = Log()
        with connection.execute_wrapper(log):
            status = register(email)
        return status, log

    emails = list(data["emails"])
    # Warm up with one, then show the SQL of a seat and of a waiting place.
    register(emails.pop(0))
    seat = logged(emails.pop(0))
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    cpu = time.process_time()
    if not options.no_profile:
        profiler.start()
    for email in emails[:-1]:
        register(email)
    if not options.no_profile:
        profiler.stop()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    waiting = logged(emails[-1])

    for status, log in (seat, waiting):
        print(f"\n== Queries for a registration that was {status}: {len(log)}")
        for seconds, sql in log:
            print(f"  {1000 * seconds:7.2f} ms  {sql[:150]}")
    count = len(emails) - 1
    print(
        f"\n{count} registrations in {elapsed:.2f} s: {1000 * elapsed / count:.2f} ms each, "
        f"{1000 * cpu / count:.2f} ms of it CPU in this process"
    )
    if options.no_profile:
        return
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if options.html:
        Path(options.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
