"""`make cluster` / `make cluster-stop`: the platform on several machines, played on one.

    .venv/bin/python cluster/cluster.py start|stop|status|databases

`start` makes and starts, under .cluster/ in the project folder (docs/scaling.md):
- a PostgreSQL primary on 127.0.0.1:5442 (initdb) and a streaming replica on :5443 made from it
  with `pg_basebackup -R` (Debian's PostgreSQL tools; as the postgres user when run as root);
- the database `yrkesresan`, migrated, with generated data (CLUSTER_STAFF staff, default 5000,
  3 years: the bench's people, pages and rush round need it);
- an SMTP sink (aiosmtpd, a Maildir in .cluster/mail) on a port the system picks;
- sessions in Redis's database 7 (cached_db) when Redis answers on :6379, else in PostgreSQL;
- two gunicorn application nodes on :8281 and :8282 (production settings plus the bench's floor
  view, DEBUG=0, one SECRET_KEY), reading the reports from the replica;
- HAProxy on :8280 in front, health-checking `/healthz` each second, its statistics on :8289;
- two task workers (`manage.py db_worker`).
Running it again starts what is not running. `stop` stops all of it and removes .cluster/.
"""

import contextlib
import json
import mailbox
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".cluster"
STATE = STATE_DIR / "state.json"
PYTHON = sys.executable


def newest_postgresql():
    """Debian's newest installed PostgreSQL server tools (PG_BIN overrides)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"),
        key=lambda path: int(path.parent.parent.name),
    )
    return versions[-1].parent if versions else Path("/usr/lib/postgresql/15/bin")


PG_BIN = newest_postgresql()
PRIMARY_PORT, REPLICA_PORT = 5442, 5443
NODE_PORTS = {"node1": 8281, "node2": 8282}
LB_PORT, STATS_PORT = 8280, 8289
WORKERS = ("worker1", "worker2")
DATABASE = "yrkesresan"
PRIMARY_URL = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DATABASE}"
REPLICA_URL = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DATABASE}"
LB_URL = f"http://127.0.0.1:{LB_PORT}"

HAPROXY_CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request that never reached a node (connection refused) goes to the other, at every
    # retry (`redispatch 1`: `leastconn` would pick the dead node again, it has no
    # connections); one that did is never sent twice (a registration is not retried behind the
    # client's back). The first refused connection takes the node out at once (`observe
    # layer4`, below), not only after two failed health checks.
    retries 3
    option redispatch 1
    # A node is sent at most twice as many requests at once as it has workers (`maxconn` on
    # each server); the rest wait here, in HAProxy's queue, which a dead node's share leaves
    # for the other, rather than in a node's listen backlog, where a rush would keep its
    # health checks waiting.
    timeout queue 30s
    timeout check 3s
frontend web
    bind 127.0.0.1:{lb}
    default_backend nodes
backend nodes
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # The node behind every answer, HAProxy's own errors included (the drill counts them).
    http-after-response set-header X-Node %s
{servers}
listen stats
    bind 127.0.0.1:{stats}
    stats enable
    stats uri /
    stats refresh 5s
"""


# Helpers -----------------------------------------------------------------------------------


def say(text):
    print(f"cluster: {text}", flush=True)


def load_state():
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state):
    STATE.write_text(json.dumps(state, indent=2) + "\n")


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our child, exited, not yet reaped) is not alive.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(check, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise SystemExit(f"cluster: {what} did not come up in {seconds} s (logs in .cluster/)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url():
    """The shared cache and session store: CLUSTER_CACHE_URL, or else Redis's database 7 on
    this machine if Redis answers, or else none (sessions stay in the database)."""
    if "CLUSTER_CACHE_URL" in os.environ:
        return os.environ["CLUSTER_CACHE_URL"]
    return "redis://127.0.0.1:6379/7" if port_open(6379) else ""


def environment(state):
    """The environment of every node and worker (and of the drill's and bench's commands)."""
    return {
        "CACHE_URL": state.get("cache_url", ""),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": PRIMARY_URL,
        "REPLICA_DATABASE_URL": REPLICA_URL,
        "SECRET_KEY": state["secret_key"],
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": LB_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(state["smtp_port"]),
        "EMAIL_USE_TLS": "0",
        "LOG_LEVEL": "WARNING",
    }


def spawn(name, command, env, state):
    """Start a long-running process in its own process group, its output in .cluster/NAME.log."""
    log = open(STATE_DIR / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    state.setdefault("pids", {})[name] = process.pid
    save_state(state)
    return process.pid


def kill_group(pid, sig=signal.SIGTERM):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


# PostgreSQL --------------------------------------------------------------------------------


def pg_dir(name):
    return STATE_DIR / "pg" / name


def pg_ctl(name, action, port=None):
    command = [str(PG_BIN / "pg_ctl"), "-D", str(pg_dir(name)), "-w", "-t", "60"]
    if action == "start":
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={pg_dir('run')}"
        )
        command += ["-l", str(pg_dir(name)) + ".log", "-o", options, "start"]
    else:
        command += ["-m", "fast", "stop"]
    run(as_postgres(command), stdout=subprocess.DEVNULL)


def pg_ready(port):
    return (
        subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"]
        ).returncode
        == 0
    )


def start_postgres(state):
    (STATE_DIR / "pg" / "run").mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(STATE_DIR / "pg", "postgres", "postgres")
        shutil.chown(STATE_DIR / "pg" / "run", "postgres", "postgres")
    primary, replica = pg_dir("primary"), pg_dir("replica")
    if not (primary / "PG_VERSION").exists():
        say(f"initdb the primary in {primary.relative_to(ROOT)}")
        run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    if not pg_ready(PRIMARY_PORT):
        pg_ctl("primary", "start", PRIMARY_PORT)
    new_database = False
    with_db = subprocess.run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
         "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not with_db:
        run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
             "-U", "postgres", DATABASE])  # fmt: skip
        new_database = True
    if not (replica / "PG_VERSION").exists():
        say("pg_basebackup -R: the streaming replica")
        run(
            as_postgres(
                [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
                 "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast"]
            )
        )  # fmt: skip
    if not pg_ready(REPLICA_PORT):
        pg_ctl("replica", "start", REPLICA_PORT)
    return new_database


def prepare_database(state, new_database):
    env = environment(state)
    say("migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env)
    if new_database:
        staff = os.environ.get("CLUSTER_STAFF", "5000")
        say(f"generate_scale_data --staff={staff} (the bench's and the drill's people)")
        run(
            [PYTHON, "manage.py", "generate_scale_data", f"--staff={staff}", "--years=3"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env)


# The rest ----------------------------------------------------------------------------------


def ensure_haproxy():
    if shutil.which("haproxy"):
        return
    say("installing Debian's haproxy")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    run([*sudo, "apt-get", "update", "-qq"])
    run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
         "haproxy"])  # fmt: skip


def node_workers():
    return int(os.environ.get("NODE_WORKERS", "2"))


def start_node(name, state):
    env = environment(state)
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi", "--chdir", str(ROOT),
        "--bind", f"127.0.0.1:{NODE_PORTS[name]}", "--workers", str(node_workers()),
        "--backlog", "2048", "--graceful-timeout", "5",
        # Each node its own control socket (the default path is one per user: shared).
        "--control-socket", str(STATE_DIR / f"{name}.ctl"),
        "--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(M)sms',
    ]  # fmt: skip
    spawn(name, command, env, state)


def start_worker(name, state):
    command = [PYTHON, "manage.py", "db_worker", "--worker-id", name, "--interval", "0.2"]
    spawn(name, command, environment(state), state)


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start():
    STATE_DIR.mkdir(exist_ok=True)
    state = load_state()
    state.setdefault("secret_key", secrets.token_urlsafe(50))
    state.setdefault("cache_url", redis_url())
    save_state(state)
    ensure_haproxy()
    new_database = start_postgres(state)
    pids = state.setdefault("pids", {})

    mailbox.Maildir(STATE_DIR / "mail", create=True)  # new/, cur/ and tmp/
    if not alive(pids.get("smtp")):
        # One port for the cluster's life: the nodes and workers were told it.
        state.setdefault("smtp_port", free_port())
        spawn(
            "smtp",
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{state['smtp_port']}",
             "-c", "aiosmtpd.handlers.Mailbox", str(STATE_DIR / "mail")],
            os.environ, state,
        )  # fmt: skip
        wait_for(lambda: port_open(state["smtp_port"]), "the SMTP sink")
    prepare_database(state, new_database)

    for name in NODE_PORTS:
        if not alive(pids.get(name)):
            start_node(name, state)
    for name, port in NODE_PORTS.items():
        wait_for(lambda port=port: healthy(port), f"{name} on :{port}")

    if not alive(state.get("haproxy_pid")):
        maxconn = 2 * node_workers()
        servers = "\n".join(
            f"    server {name} 127.0.0.1:{port} check inter 1s fall 2 rise 2 maxconn {maxconn}"
            " observe layer4 error-limit 1 on-error mark-down"
            for name, port in NODE_PORTS.items()
        )
        config = STATE_DIR / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(lb=LB_PORT, stats=STATS_PORT, servers=servers))
        pidfile = STATE_DIR / "haproxy.pid"
        run(["haproxy", "-D", "-f", str(config), "-p", str(pidfile)])
        wait_for(pidfile.exists, "haproxy")
        state["haproxy_pid"] = int(pidfile.read_text().split()[0])
        save_state(state)
    wait_for(lambda: healthy(LB_PORT), f"the load balancer on :{LB_PORT}")

    for name in WORKERS:
        if not alive(pids.get(name)):
            start_worker(name, state)
    with urllib.request.urlopen(f"{LB_URL}/healthz", timeout=30) as response:
        health = json.loads(response.read())
    say(
        f"up: {LB_URL}/ (nodes :{', :'.join(map(str, NODE_PORTS.values()))}, HAProxy statistics "
        f"http://127.0.0.1:{STATS_PORT}/), PostgreSQL :{PRIMARY_PORT} with replica "
        f":{REPLICA_PORT}, workers {', '.join(WORKERS)}, SMTP sink :{state['smtp_port']} "
        f"(.cluster/mail). /healthz: {json.dumps(health)}"
    )


def databases():
    """Only the primary and its replica (.ci/run tests the router against them)."""
    STATE_DIR.mkdir(exist_ok=True)
    state = load_state()
    state.setdefault("secret_key", secrets.token_urlsafe(50))
    save_state(state)
    start_postgres(state)
    say(f"PostgreSQL primary :{PRIMARY_PORT}, streaming replica :{REPLICA_PORT}")


def stop():
    state = load_state()
    for name, pid in state.get("pids", {}).items():
        if alive(pid):
            say(f"stopping {name}")
            kill_group(pid)
    if alive(state.get("haproxy_pid")):
        say("stopping haproxy")
        os.kill(state["haproxy_pid"], signal.SIGTERM)
    for name in ("replica", "primary"):
        if (pg_dir(name) / "postmaster.pid").exists():
            say(f"stopping PostgreSQL {name}")
            pg_ctl(name, "stop")
    deadline = time.monotonic() + 15
    for pid in state.get("pids", {}).values():
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            kill_group(pid, signal.SIGKILL)
    if state.get("cache_url"):
        import redis

        say(f"emptying the cache {state['cache_url']}")
        redis.Redis.from_url(state["cache_url"]).flushdb()
    if STATE_DIR.exists():
        shutil.rmtree(STATE_DIR)
        say("removed .cluster/")


def status():
    state = load_state()
    if not state:
        say("not started")
        return
    for name, pid in state.get("pids", {}).items():
        say(f"{name:<8} pid {pid:<8} {'running' if alive(pid) else 'stopped'}")
    say(f"haproxy  pid {state.get('haproxy_pid')} "
        f"{'running' if alive(state.get('haproxy_pid')) else 'stopped'}")  # fmt: skip
    for port in (PRIMARY_PORT, REPLICA_PORT):
        say(f"PostgreSQL :{port} {'ready' if pg_ready(port) else 'down'}")


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "databases": databases, "stop": stop, "status": status}[action]()
