"""The benchmark's command line: data set, servers, operations, report.

    bench/run                                   # PostgreSQL, 1,000,000 persons, with the peer
    bench/run --smoke                           # SQLite, 10,000 persons, no peer (CI)
    bench/run --database sqlite --persons 100000 --no-peer

See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# A key of this run's own: no key is written in the repository.
BENCH_SECRET = secrets.token_urlsafe(64)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description="Zweck's benchmark suite.")
    parser.add_argument(
        "--smoke", action="store_true", help="10,000 persons on SQLite, no peer, few repetitions"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default=None)
    parser.add_argument("--persons", type=int, default=None, help="data set size (default 1,000,000)")
    parser.add_argument(
        "--peer", action=argparse.BooleanOptionalAction, default=None, help="run the peer CRM beside Zweck"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="report directory (default bench/results; --smoke: var/bench/smoke)",
    )
    parser.add_argument(
        "--repetitions", type=int, default=None, help="timed calls per operation (default 30)"
    )
    parser.add_argument("--warmup", type=int, default=None, help="untimed calls first (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, the same for every system")
    parser.add_argument(
        "--import-rows", type=int, default=None, help="rows per CSV import file (default 10,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES, help="server to create the bench databases on"
    )
    parser.add_argument("--only", nargs="*", help="operation keys to run (default: all)")
    options = parser.parse_args(argv)
    smoke = options.smoke
    options.database = options.database or ("sqlite" if smoke else "postgres")
    # A smoke run checks that the code works; its numbers do not replace the committed report.
    options.out = options.out or (REPO / "var" / "bench" / "smoke" if smoke else REPO / "bench" / "results")
    options.persons = options.persons or (10_000 if smoke else 1_000_000)
    options.peer = (not smoke) if options.peer is None else options.peer
    options.repetitions = options.repetitions or (5 if smoke else 30)
    options.warmup = options.warmup if options.warmup is not None else (1 if smoke else 3)
    options.import_rows = options.import_rows or (1_000 if smoke else 10_000)
    return options


def say(message: str) -> None:
    print(f"[{datetime.now(UTC).strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(options: argparse.Namespace) -> str:
    if options.database == "sqlite":
        path = REPO / "var" / "bench" / f"zweck_bench_{options.persons}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    return options.postgres_url.rsplit("/", 1)[0] + f"/zweck_bench_{options.persons}"


def create_postgres_database(options: argparse.Namespace, *, drop: bool) -> None:
    import psycopg
    from psycopg import sql

    name = f"zweck_bench_{options.persons}"
    with psycopg.connect(options.postgres_url, autocommit=True) as admin:
        if drop:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{model}, {os.cpu_count()} cores, {memory_kib / 1024 / 1024:.0f} GiB RAM, {platform.system()} {platform.release()}"


def commit() -> str:
    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", "zweck", "config", "bench"))
    return head + (" with uncommitted changes in the working tree" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    os.environ["DATABASE_URL"] = database_url(options)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("ZWECK_SECRET_KEY", BENCH_SECRET)
    # The benchmark talks plain HTTP to 127.0.0.1; production's redirect to HTTPS is off here.
    os.environ.setdefault("ZWECK_SSL_REDIRECT", "false")
    os.environ.setdefault("ZWECK_DATA_DIR", str(REPO / "var"))
    sys.path.insert(0, str(REPO))
    if options.database == "postgres":
        create_postgres_database(options, drop=False)

    import django

    django.setup()
    from django.db import connections

    from bench import dataset as datasets

    say(f"data set: {options.persons:,} persons on {options.database}")
    try:
        data = datasets.ensure(persons=options.persons, seed_value=options.seed, progress=say)
    except datasets.StaleDataset as stale:
        say(f"{stale}; seeding anew")
        connections.close_all()
        if options.database == "postgres":
            create_postgres_database(options, drop=True)
        else:
            Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink()
        data = datasets.ensure(persons=options.persons, seed_value=options.seed, progress=say)
    return measure(options, data)


def measure(options: argparse.Namespace, data: Any) -> int:
    from django.db import connection

    from bench import dataset as datasets
    from bench import report
    from bench.context import Context
    from bench.http import ServerClient
    from bench.runner import run_all
    from bench.server import start_gunicorn
    from zweck.accounts.actors import Actor
    from zweck.accounts.models import Membership
    from zweck.accounts.services import token_create

    membership = Membership.objects.select_related("user", "workspace").get(
        workspace_id=data.workspace_id, user_id=data.owner_id
    )
    actor = Actor.for_membership(membership)
    _token, plain = token_create(actor=actor, name=f"bench {datetime.now(UTC):%Y-%m-%d %H:%M}")
    sizes = datasets.counts(data.workspace_id)
    run_id = f"{int(time.time())}"
    raw = options.out / "raw"
    servers = []
    peer = None
    try:
        say(f"starting Zweck under gunicorn ({options.workers} workers)")
        zweck_server = start_gunicorn(
            name="zweck",
            gunicorn=REPO / ".venv" / "bin" / "gunicorn",
            application="config.wsgi:application",
            workers=options.workers,
            environment={
                key: os.environ[key]
                for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ZWECK_SECRET_KEY", "ZWECK_DATA_DIR")
            },
            cwd=REPO,
            log=raw / "zweck-server.log",
        )
        servers.append(zweck_server)
        http = ServerClient(
            host="127.0.0.1", port=zweck_server.port, token=plain, pids=zweck_server.worker_pids()
        )
        peer_system = None
        peer_note = "not run (--no-peer)"
        if options.peer:
            peer_system, peer_note, peer = start_peer(options, data, sizes, raw)
            if peer is not None and peer.server is not None:
                servers.append(peer.server)
        context = Context(
            database=options.database,
            actor=actor,
            repetitions=options.repetitions,
            warmup=options.warmup,
            scratch=raw,
            http=http,
            peer=peer_system,
            import_rows=options.import_rows,
            run_id=run_id,
        )
        rows = run_all(context, only=options.only, progress=say)
    finally:
        for server in servers:
            server.stop()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()" if options.database == "postgres" else "SELECT 'SQLite ' || sqlite_version()"
        )
        version = cursor.fetchone()[0].split(" on ")[0]
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": commit(),
        "database": version,
        "persons": f"{sizes['persons']:,}",
        "data size": f"{sizes['persons']:,} persons, {sizes['organizations']:,} organizations, "
        f"{sizes['activities']:,} activities, {sizes['deals']:,} deals (seed {data.seed})",
        "seeding": f"{data.seconds:.0f} s"
        + (" (this run)" if data.seeded_now else " (earlier run; data set reused)"),
        "repetitions": f"{options.repetitions} timed after {options.warmup} warm-up (bulk operations: at most 3)",
        "HTTP": f"gunicorn, {options.workers} sync workers per system, 127.0.0.1, one connection per request",
        "peer": peer_note,
        "memory": "peak RSS (VmHWM reset before each operation): server workers for API rows, "
        "the benchmark process for in-process rows",
    }
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{options.database}-{options.persons}"
    document = report.write(rows, meta, options.out, stem)
    say(f"report: {document}")
    return 0


def start_peer(
    options: argparse.Namespace, data: Any, sizes: dict[str, int], raw: Path
) -> tuple[Any, str, Any]:
    from bench import floors
    from bench.context import PeerSystem
    from bench.peer import control

    if not installed_or_setup(options.database):
        return None, "not available: bench/peer/setup failed", None
    peer = control.Peer(
        database=options.database, key=str(options.persons), postgres_url=options.postgres_url
    )
    from bench import dataset as datasets

    dataset_key = f"{data.persons}-{data.seed}-{datasets.version()}"
    peer.prepare_database(dataset_key)
    say("starting the peer under gunicorn")
    peer.start(workers=options.workers, log=raw / "peer-server.log")
    token, org_id = peer.bootstrap()

    def write_csv(path: Path) -> int:
        from django.db import connection

        query = (
            f"SELECT p.first_name, p.last_name, e.email, f.number, o.name, p.position FROM {floors.PERSON} p "
            f"LEFT JOIN {floors.EMAIL} e ON e.person_id = p.id AND e.is_primary "
            f"LEFT JOIN {floors.PHONE} f ON f.person_id = p.id AND f.is_primary "
            f"LEFT JOIN {floors.MEMBERSHIP} m ON m.person_id = p.id AND m.is_primary "
            f"LEFT JOIN {floors.ORGANIZATION} o ON o.id = m.organization_id "
            f"WHERE p.workspace_id = %s ORDER BY p.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [data.workspace_id])
            return control.write_persons_csv(path, iter(lambda: cursor.fetchone(), None))

    say("loading the same persons into the peer (once per data set)")
    started = time.perf_counter()
    loaded = peer.load(dataset=dataset_key, org_id=org_id, write_csv=write_csv)
    say(f"peer holds {loaded:,} persons ({time.perf_counter() - started:.0f} s)")
    system = PeerSystem(
        client=peer.client(token), database=options.database, delete_emails=peer.delete_emails(org_id)
    )
    from bench.context import _spread_subjects

    subjects = _spread_subjects(data.workspace_id, options.repetitions + options.warmup, 0.0, 0.8)
    system.ids_by_email = peer.ids_by_email(subject.email.lower() for subject in subjects)
    # Zweck's subjects are looked up by their email as Zweck stores it; the peer stores it lower-cased.
    system.ids_by_email.update(
        {
            s.email: system.ids_by_email[s.email.lower()]
            for s in subjects
            if s.email.lower() in system.ids_by_email
        }
    )
    note = (
        f"BottleCRM (PyPI django-crm 1.35.0) on the same {options.database} server, its own database, "
        f"{loaded:,} of the same persons (name, email, phone, company, title), its connection pool on"
    )
    return system, note, peer


def installed_or_setup(database: str) -> bool:
    from bench.peer import control

    try:
        if not control.installed():
            control.setup(database)
        return True
    except subprocess.CalledProcessError:
        return False


if __name__ == "__main__":
    sys.exit(main())
