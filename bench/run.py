"""`make bench`: the pages and the registration rush at national scale, against the floor.

    .venv/bin/python bench/run.py [--staff 60000] [--seconds 10] [--workers 4] [--fresh]
                                  [--target single|cluster]

With --target cluster (`make bench BENCH_TARGET=cluster`) the same rows go through the load
balancer of `make cluster` (started if need be) to its two nodes, on its primary and replica;
the results go to bench/results/cluster.json.

1. Prepares PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/yrkesresan_bench):
   migrates it and, unless the marker table `bench_dataset` says it already holds the same size
   and seed, recreates it and runs `generate_scale_data` (the time is recorded).
2. Picks the people and pages (bench/support.py), makes their sessions, an API token, and a
   fresh round with 100 seats and 500 new staff for the rush.
3. Starts gunicorn with production settings (DEBUG=0, a SECRET_KEY made for this run, plain
   HTTP on 127.0.0.1, `bench.settings` adds the floor view) and loads each page with wrk for
   --seconds at concurrency 1, then at concurrency 8; then fires the 500 registrations at once.
4. Prints the table and writes bench/results/latest.json (bench/README.md explains it).
"""

import argparse
import asyncio
import datetime
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results" / "latest.json"
sys.path.insert(0, str(ROOT))  # the cluster package (--target cluster)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yrkesresan_bench"
MARKER = "bench_dataset"

# Issue 5's targets, by row.
RATIO_ROWS = {"participant_home", "round_page", "attendance_list", "api_round"}
P95_ROWS = {"term_overview", "knowledge_search", "knowledge_search_trainer"}  # and dashboard_*
RATIO_TARGET, RPS_TARGET, P95_TARGET_MS, RUSH_TARGET_S = 8, 1 / 8, 150, 2.0


# The database ------------------------------------------------------------------------------


def connect(url, **kwargs):
    import psycopg

    return psycopg.connect(url, **kwargs)


def prepare_database(url, *, staff, years, seed, fresh, env):
    """Reuse the database if its marker matches, else recreate and generate. Returns the
    generation time in seconds (None when reused)."""
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    wanted = (staff, years, seed)
    if exists and not fresh:
        with connect(url) as conn:
            has_marker = conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
            row = has_marker and conn.execute(f"SELECT staff, years, seed FROM {MARKER}").fetchone()
        if row and tuple(row) == wanted:
            print(f"Reusing {name}: {staff} staff, {years} years, seed {seed}.", flush=True)
            manage(["migrate", "--noinput", "-v0"], env)
            return None
    print(f"Creating {name} with {staff} staff, {years} years, seed {seed} ...", flush=True)
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage(["migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    manage(["generate_scale_data", f"--staff={staff}", f"--years={years}", f"--seed={seed}"], env)
    seconds = time.monotonic() - started
    with connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute(
            f"CREATE TABLE {MARKER} (staff int, years int, seed int, seconds float, "
            "generated_at timestamptz DEFAULT now())"
        )
        conn.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s, %s)", [*wanted, seconds])
    return seconds


def manage(args, env, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def in_django(code, env):
    """Run `code` in `manage.py shell`; it prints one line 'BENCH <json>'."""
    output = manage(["shell", "-v0", "-c", code], env, capture=True).stdout
    return json.loads(output.split("BENCH ", 1)[1])


# The server --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port, workers):
    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "config.wsgi",
            "--chdir", str(ROOT),
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--backlog", "2048",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited") from None
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def headers_of(page):
    headers = {}
    if page.get("cookie"):
        headers["Cookie"] = page["cookie"]
    if page.get("token"):
        headers["Authorization"] = f"Bearer {page['token']}"
    return headers


def check_page(base, name, page):
    """One request: the page must answer 200 to this user (not a redirect to the login)."""
    request = urllib.request.Request(base + page["path"], headers=headers_of(page))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    if status != 200:
        raise SystemExit(f"{name}: {page['path']} answered {status}: {body[:300]!r}")
    return len(body)


def drain(base, workers, deadline_seconds=180):
    """Wait until every worker is idle: `workers` concurrent health checks all answer fast.

    wrk stops at its deadline with requests still in flight; a slow page would otherwise
    keep the workers busy into the next measurement."""
    from concurrent.futures import ThreadPoolExecutor

    def probe(_):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=60):
                pass
        except OSError:
            return 60.0
        return time.perf_counter() - started

    deadline = time.monotonic() + deadline_seconds
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while time.monotonic() < deadline:
            if max(pool.map(probe, range(workers))) < 0.25:
                return
            time.sleep(0.5)


def worker_memory(server):
    """Proportional set size (PSS, MB) of each gunicorn worker: the memory a worker costs,
    its share of the pages it shares with the master and the other workers counted once."""
    pids = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sorted(sizes)


def cpu_seconds(pids):
    """User and system CPU seconds the processes `pids` have used so far (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rush_processes(server, url):
    """{"server": gunicorn's workers, "database": PostgreSQL's backends on the bench database}:
    the processes whose CPU the rush is charged (None through the cluster, whose processes run
    elsewhere)."""
    if server is None:
        return None
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    name = url.rsplit("/", 1)[1]
    with connect(url) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return {"server": workers, "database": [str(pid) for (pid,) in backends]}


def wrk(base, page, connections, seconds):
    command = [
        "wrk",
        "--threads", str(min(connections, 2)),
        "--connections", str(connections),
        "--duration", f"{seconds}s",
        "--timeout", "10s",
        "--script", str(ROOT / "bench" / "report.lua"),
    ]  # fmt: skip
    for key, value in headers_of(page).items():
        command += ["--header", f"{key}: {value}"]
    output = subprocess.run(
        [*command, base + page["path"]], capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(output.split("WRK ", 1)[1])
    duration = data["duration_us"] / 1e6

    def ms(key):
        # No request completed: no latency to report (it was longer than the load lasted).
        return round(data[key] / 1000, 2) if data["requests"] else None

    return {
        "requests": data["requests"],
        "errors": data["errors"],
        "p50_ms": ms("p50_us"),
        "p95_ms": ms("p95_us"),
        "p99_ms": ms("p99_us"),
        "rps": round(data["requests"] / duration, 1) if duration else 0.0,
    }


# The registration rush ---------------------------------------------------------------------


async def post(port, path, token, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = json.dumps(body).encode()
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        + payload
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, content = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        data = json.loads(content)
    except ValueError:
        data = {"error": content[:200].decode(errors="replace")}
    return status, data


async def rush(port, round_id, token, emails, concurrency):
    path = f"/api/v1/rounds/{round_id}/registrations"
    gate = asyncio.Semaphore(concurrency)

    async def one(email):
        async with gate:
            try:
                return await post(port, path, token, {"email": email})
            except OSError as error:
                return 0, {"error": str(error)}

    started = time.perf_counter()
    results = await asyncio.gather(*(one(email) for email in emails))
    return time.perf_counter() - started, results


# The run -----------------------------------------------------------------------------------


def targets(name, row):
    """(target text, met?) for a row, from issue 5. A load that completed no request (each
    took longer than the load lasted) fails its target."""
    if not row["c1"]["requests"] or not row["c8"]["requests"]:
        return "no request completed in the time", False
    if name in RATIO_ROWS:
        met = row["floor_ratio"] <= RATIO_TARGET and row["rps_ratio"] >= RPS_TARGET
        return "p50 ≤ 8× floor, rps ≥ ⅛ floor", met
    if name in P95_ROWS or name.startswith("dashboard_"):
        return "p95 ≤ 150 ms", row["p95_ms"] <= P95_TARGET_MS
    return "", None


def print_table(rows, rush_row, memory):
    header = (
        f"{'name':<30} {'req c1':>7} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'floor×':>7} "
        f"{'rps c8':>8} {'rps÷floor':>9} {'p95 c8':>8} {'SQL':>4}  target"
    )
    print()
    print(header)
    print("-" * len(header))

    def num(value, width, digits):
        return f"{'–':>{width}}" if value is None else f"{value:>{width}.{digits}f}"

    for row in rows:
        mark = {True: "ok", False: "OVER", None: ""}[row["meets_target"]]
        print(
            f"{row['name']:<30} {row['requests']:>7} {row['errors']:>4} "
            f"{num(row['p50_ms'], 8, 2)} {num(row['p95_ms'], 8, 2)} "
            f"{num(row['floor_ratio'], 7, 2)} {num(row['rps'], 8, 1)} "
            f"{num(row['rps_ratio'], 9, 3)} {num(row['c8']['p95_ms'], 8, 2)} "
            f"{row['queries']:>4}  "
            f"{row['target']} {mark}"
        )
    mark = "ok" if rush_row["meets_target"] else "OVER"
    print(
        f"{'registration_rush':<30} {rush_row['requests']} registrations into "
        f"{rush_row['seats']} seats: {rush_row['seconds']:.2f} s, {rush_row['registered']} seated, "
        f"{rush_row['waitlisted']} waiting, {rush_row['errors']} errors  "
        f"(target ≤ {RUSH_TARGET_S:.0f} s, exactly {rush_row['seats']} seated, 0 errors) {mark}"
    )
    if rush_row.get("cpu_ms_per_registration"):
        cpu = rush_row["cpu_ms_per_registration"]
        print(
            f"{'CPU per registration':<30} {cpu['server']:.2f} ms server, "
            f"{cpu['database']:.2f} ms database"
        )
    if memory:
        print(f"{'memory per worker (PSS)':<30} {', '.join(f'{mb:.1f}' for mb in memory)} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=60000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10, help="per page and concurrency")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--rush-people", type=int, default=500)
    parser.add_argument("--rush-seats", type=int, default=100)
    parser.add_argument("--rush-concurrency", type=int, default=500)
    parser.add_argument("--only", help="comma-separated row names (the floor is always run)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument(
        "--target",
        choices=["single", "cluster"],
        default="single",
        help="single: one gunicorn started here; cluster: through make cluster's load balancer",
    )
    options = parser.parse_args()
    seconds = max(1, round(options.seconds))

    cluster_state = None
    if options.target == "cluster":
        # The same rows through HAProxy to the two nodes (cluster/cluster.py), on the
        # cluster's primary and replica, with the cluster's environment (its SECRET_KEY signs
        # the sessions made here).
        from cluster import cluster

        cluster.start()
        cluster_state = cluster.load_state()
        url = cluster.PRIMARY_URL
        env = {**cluster.environment(cluster_state), "ALLOWED_HOSTS": "127.0.0.1"}
        options.workers = len(cluster.NODE_PORTS) * int(os.environ.get("NODE_WORKERS", "2"))
    else:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    generation = prepare_database(
        url,
        staff=options.staff,
        years=options.years,
        seed=options.seed,
        fresh=options.fresh,
        env=env,
    )
    manage(["collectstatic", "--noinput", "-v0"], env)
    pages = in_django(
        "import json; from bench.support import pages; print('BENCH ' + json.dumps(pages()))",
        env,
    )
    context = pages.pop("_context")
    if options.only:
        wanted = {"floor", *options.only.split(",")}
        pages = {name: page for name, page in pages.items() if name in wanted}
    rush_data = in_django(
        "import json; from bench.support import prepare_rush; "
        f"print('BENCH ' + json.dumps(prepare_rush({options.rush_people}, {options.rush_seats})))",
        env,
    )

    load_before = os.getloadavg()
    if cluster_state:
        port, server = cluster.LB_PORT, None
    else:
        port = free_port()
        server = start_server(env, port, options.workers)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for name, page in pages.items():
            check_page(base, name, page)
        # Warm every worker (connections, templates) before measuring.
        wrk(base, pages["floor"], 8, 2)
        for name, page in pages.items():
            wrk(base, page, 8, 1)
            drain(base, options.workers)
            c1 = wrk(base, page, 1, seconds)
            drain(base, options.workers)
            c8 = wrk(base, page, 8, seconds)
            drain(base, options.workers)
            print(
                f"  {name:<30} c1 p50 {c1['p50_ms']} ms  p95 {c1['p95_ms']} ms   c8 {c8['rps']}/s",
                flush=True,
            )
            rows.append(
                {
                    "name": name,
                    "path": page["path"],
                    "user": page["user"],
                    "requests": c1["requests"],
                    "errors": c1["errors"] + c8["errors"],
                    "p50_ms": c1["p50_ms"],
                    "p95_ms": c1["p95_ms"],
                    "rps": c8["rps"],
                    "c1": c1,
                    "c8": c8,
                    **({"page": page["page"]} if page.get("page") else {}),
                }
            )
        drain(base, options.workers)
        memory = worker_memory(server) if server else None
        # The workers hold persistent connections (DB_CONN_MAX_AGE), so their backends exist
        # by now; the rush's CPU is what these processes use while it runs.
        charged = rush_processes(server, url)
        cpu_before = charged and {key: cpu_seconds(pids) for key, pids in charged.items()}
        print(f"  registration rush: {options.rush_people} at once ...", flush=True)
        elapsed, results = asyncio.run(
            rush(
                port,
                rush_data["round"],
                rush_data["token"],
                rush_data["emails"],
                options.rush_concurrency,
            )
        )
        # A connection that reached DB_CONN_MAX_AGE is replaced during the rush: the new
        # backends count whole (their CPU is all the rush's), the closed ones' last share is lost.
        charged_after = charged and rush_processes(server, url)
        cpu_after = charged and {
            key: cpu_seconds(set(pids) | set(charged_after[key])) for key, pids in charged.items()
        }
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)

    counts = in_django(
        "import json; from bench.support import query_counts; "
        f"print('BENCH ' + json.dumps(query_counts({json.dumps(pages)})))",
        env,
    )
    for row in rows:
        row["queries"] = counts[row["name"]]
    floor = rows[0]
    for row in rows:
        row["floor_ratio"] = (
            round(row["p50_ms"] / floor["p50_ms"], 2)
            if row["p50_ms"] is not None and floor["p50_ms"]
            else None
        )
        row["rps_ratio"] = round(row["rps"] / floor["rps"], 3) if floor["rps"] else None
        row["target"], row["meets_target"] = targets(row["name"], row)
    outcome = in_django(
        "import json; from bench.support import rush_outcome; "
        f"print('BENCH ' + json.dumps(rush_outcome({rush_data['round']})))",
        env,
    )
    errors = [(status, body) for status, body in results if status != 201]
    said = [body.get("status") for status, body in results if status == 201]
    rush_row = {
        "name": "registration_rush",
        "requests": len(results),
        "concurrency": min(options.rush_concurrency, len(results)),
        "seats": outcome["seats"],
        "registered": outcome["registered"],
        "waitlisted": outcome["waitlisted"],
        "seconds": round(elapsed, 3),
        "errors": len(errors),
        "api_said_registered": said.count("registered"),
        "api_said_waitlisted": said.count("waitlisted"),
        "target": "≤ 2 s, exactly the seats seated, 0 errors",
    }
    if cpu_before:
        # CPU milliseconds per registration: gunicorn's workers, PostgreSQL's backends (not its
        # WAL writer and checkpointer, nor the client that sends the requests).
        rush_row["cpu_ms_per_registration"] = {
            key: round(1000 * (cpu_after[key] - cpu_before[key]) / len(results), 2)
            for key in cpu_before
        }
    rush_row["meets_target"] = (
        elapsed <= RUSH_TARGET_S
        and outcome["registered"] == outcome["seats"]
        and outcome["registered"] + outcome["waitlisted"] == len(results)
        and not errors
    )
    if errors:
        rush_row["error_samples"] = [f"{status}: {body}" for status, body in errors[:5]]
    print_table(rows, rush_row, memory)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report = {
        "run_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "staff": options.staff,
        "years": options.years,
        "seed": options.seed,
        "seconds_per_load": seconds,
        "target": options.target,
        "gunicorn_workers": options.workers,
        "cpus": os.cpu_count(),
        # Other work on the machine skews every figure: the load before and after the run.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "generation_seconds": round(generation, 1) if generation is not None else None,
        # After every page's loads, before the rush (None through the cluster's nodes).
        "worker_pss_mb": memory,
        "data": context,
        "rows": [*rows, rush_row],
    }
    results = RESULTS.with_name("cluster.json") if cluster_state else RESULTS
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\nLoad average before {report['load_average_before']}, after "
        f"{report['load_average_after']} on {os.cpu_count()} CPUs (other work skews the figures)."
    )
    print(f"Written to {results.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
