"""The SQL of the bench pages, with PostgreSQL's plan of the slowest queries of each page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yrkesresan_bench \\
        .venv/bin/python bench/explain.py [--only term_overview,round_page] [--top 3]

Renders each bench page in this process (Django's test client, the bench's users) and prints,
per page, the number of queries, their total time and EXPLAIN (ANALYZE, BUFFERS) of the
slowest ones, so that a sequential scan on a large table shows.
"""

import argparse
import time

from in_process import setup_django  # bench/, this script's folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--top", type=int, default=2)
    options = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test import Client

    from bench.support import pages

    wanted = set(options.only.split(",")) if options.only else None
    for name, page in pages(clean=False).items():
        if name.startswith("_") or (wanted and name not in wanted):
            continue
        client = Client()
        headers = {}
        if page.get("cookie"):
            client.cookies["sessionid"] = page["cookie"].split("=", 1)[1]
        if page.get("token"):
            headers["Authorization"] = f"Bearer {page['token']}"
        client.get(page["path"], headers=headers)  # warm up
        log = []

        def record(execute, sql, params, many, context, log=log):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                log.append((time.perf_counter() - started, sql, params))

        started = time.perf_counter()
        with connection.execute_wrapper(record):
            response = client.get(page["path"], headers=headers)
        elapsed = time.perf_counter() - started
        total = sum(seconds for seconds, *_ in log)
        print(
            f"\n=== {name} {page['path']} ({response.status_code}): {len(log)} queries, "
            f"{1000 * total:.1f} ms in SQL, {1000 * elapsed:.1f} ms in all"
        )
        for seconds, sql, params in sorted(log, key=lambda entry: -entry[0])[: options.top]:
            print(f"\n-- {1000 * seconds:.2f} ms: {sql[:300]}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                for (line,) in cursor.fetchall():
                    print("   ", line)


if __name__ == "__main__":
    main()
