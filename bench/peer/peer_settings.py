"""Settings for the peer CRM (BottleCRM, PyPI ``django-crm``) as the benchmark runs it.

The package ships no ``manage.py``; ``django-admin`` loads this module through
``DJANGO_SETTINGS_MODULE=peer_settings`` with this directory on ``PYTHONPATH``.
Everything the package decides stays as it ships; only what a benchmark must
control is set here: which database (the same server and engine Zweck uses in the
same run), Celery tasks run in-process, files under ``bench/peer/var/``, and
connection reuse, so that neither system pays a new database connection per
request when the other does not.
"""

import os

# Its own pooling (psycopg_pool with the RLS reset it requires) is the peer's
# supported way to reuse PostgreSQL connections; Zweck keeps connections open too.
os.environ.setdefault("DB_POOL_ENABLED", "true")
os.environ.setdefault("ENV_TYPE", "dev")
os.environ.setdefault("SECRET_KEY", "bench-peer-secret-key-not-for-production-0123456789abcdef")

from crm.settings import *  # noqa: F403

HERE = os.path.dirname(os.path.abspath(__file__))
VAR = os.path.join(HERE, "var")
os.makedirs(VAR, exist_ok=True)

_engine = os.environ.get("BENCH_PEER_DATABASE", "sqlite")
if _engine == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("BENCH_PEER_SQLITE_PATH", os.path.join(VAR, "peer.sqlite3")),
            # The same pragmas Zweck's SQLite configuration uses.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
elif _engine == "postgres":
    DATABASES["default"].update(
        {
            "NAME": os.environ.get("BENCH_PEER_DBNAME", "bottlecrm_bench"),
            "USER": os.environ.get("BENCH_PEER_DBUSER", "postgres"),
            "PASSWORD": os.environ.get("BENCH_PEER_DBPASSWORD", ""),
            "HOST": os.environ.get("BENCH_PEER_DBHOST", "127.0.0.1"),
            "PORT": os.environ.get("BENCH_PEER_DBPORT", "5432"),
        }
    )
else:
    raise ValueError(f"BENCH_PEER_DATABASE must be sqlite or postgres, not {_engine!r}")

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"

MEDIA_ROOT = os.path.join(VAR, "media")
STATIC_ROOT = os.path.join(VAR, "static")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Its log handlers write relative file names; keep them inside var/.
LOGGING["handlers"]["logfile"]["filename"] = os.path.join(VAR, "server.log")  # noqa: F405
LOGGING["handlers"]["security_audit"]["filename"] = os.path.join(VAR, "security_audit.log")  # noqa: F405
