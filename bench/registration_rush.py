"""Registration rush and coordinator pages, measured behind gunicorn on PostgreSQL.

    .venv/bin/python bench/registration_rush.py [--people 500] [--seats 100] [--concurrency 50]

1. Prepares a PostgreSQL database (DATABASE_URL, default .../yrkesresan_bench): migrate,
   seed_demo, then a bench round with SEATS seats, PEOPLE staff in member municipalities and an
   API token for the structure's coordinator.
2. Starts gunicorn with production settings (DEBUG=0; plain HTTP on 127.0.0.1) and fires all
   registrations at once through the API, CONCURRENCY requests in flight.
3. Loads the round page and the term overview as the coordinator (a full term of data).
Prints figures; asserts nothing about time.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SETUP = """
import json
from bench.support import prepare_rush
print("BENCH" + json.dumps(prepare_rush(people={people}, seats={seats})))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def wait_until_up(base, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def post_json(url, body, token):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()[:200]}


def timed_gets(url, cookie, count):
    times = []
    for _ in range(count):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            assert response.status == 200, response.status
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "requests": count,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--page-requests", type=int, default=50)
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yrkesresan_bench")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-to-pass-checks-1234567890",
        "ALLOWED_HOSTS": "127.0.0.1",
        "AXES_FAILURE_LIMIT": "1000",
    }
    print(f"Preparing {url} ...", flush=True)
    ensure_database(url)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "seed_demo", "-v0"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    setup = SETUP.format(people=options.people, seats=options.seats)
    output = run([PYTHON, "manage.py", "shell", "-v0", "-c", setup], env, capture_output=True)
    data = json.loads(output.stdout.split("BENCH", 1)[1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base)
        register_url = f"{base}/api/v1/rounds/{data['round']}/registrations"
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            results = list(
                pool.map(
                    lambda email: post_json(register_url, {"email": email}, data["token"]),
                    data["emails"],
                )
            )
        seconds = time.perf_counter() - started
        statuses = [body.get("status") for code, body in results if code == 201]
        errors = [(code, body) for code, body in results if code != 201]
        check = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                "from yrkesresan.rounds.models import Round;"
                f"r = Round.objects.with_counts().get(pk={data['round']});"
                "print(r.seats, r.registered_count, r.waitlisted_count)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seats, registered, waitlisted = map(int, check.stdout.split())
        print()
        print(
            f"Registration rush: {options.people} registrations into {seats} seats, "
            f"{options.concurrency} at a time, gunicorn with {options.workers} workers"
        )
        print(f"  time to finish     {seconds:.2f} s ({options.people / seconds:.0f} per second)")
        print(
            f"  seats taken        {registered} (API said registered: "
            f"{statuses.count('registered')})"
        )
        print(
            f"  on waiting list    {waitlisted} (API said waitlisted: "
            f"{statuses.count('waitlisted')})"
        )
        print(f"  errors             {len(errors)}")
        for code, body in errors[:5]:
            print(f"    {code}: {body}")
        cookie = f"sessionid={data['session']}"
        print()
        print(f"Coordinator pages ({options.page_requests} sequential requests each):")
        for label, path in [
            ("round page", f"/omgangar/{data['round']}/"),
            ("term overview", f"/omgangar/?termin={data['term'].replace(' ', '+')}"),
        ]:
            figures = timed_gets(base + path, cookie, options.page_requests)
            print(f"  {label:<15} p50 {figures['p50_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
