"""Profile bench pages in one process: time per request, queries, and pyinstrument's profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yrkesresan_bench \\
        .venv/bin/python bench/profile_page.py participant_home [round_page …] [--n 200]

Needs the bench database (make bench makes it) and pyinstrument (the bench extra). Requests
each page `--n` times through Django's test client with the bench's users (as bench/explain.py),
prints the mean time per request with and without the profiler, the number of queries, and the
profile of the loop (`--html out.html` writes pyinstrument's HTML too).
"""

import argparse
import time
from pathlib import Path

from in_process import setup_django  # bench/, this script's folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="+", help="bench row names, e.g. participant_home")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--html", help="write pyinstrument's HTML here (last page)")
    parser.add_argument("--show-sql", action="store_true", help="print each query once")
    options = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from bench.support import pages

    all_pages = pages(clean=False)
    for name in options.names:
        profile(name, all_pages[name], options, connection, Client, Profiler)


def profile(name, page, options, connection, Client, Profiler):
    client = Client()
    headers = {}
    if page.get("cookie"):
        client.cookies["sessionid"] = page["cookie"].split("=", 1)[1]
    if page.get("token"):
        headers["Authorization"] = f"Bearer {page['token']}"

    def request():
        response = client.get(page["path"], headers=headers)
        assert response.status_code == 200, (name, response.status_code)

    for _ in range(10):
        request()
    queries = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        request()
    started = time.perf_counter()
    for _ in range(options.n):
        request()
    plain = (time.perf_counter() - started) / options.n
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(options.n):
        request()
    profiler.stop()
    print(f"\n=== {name} {page['path']}: {1000 * plain:.2f} ms per request, {len(queries)} queries")
    if options.show_sql:
        for sql in queries:
            print("  ", sql[:400])
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if options.html:
        Path(options.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
