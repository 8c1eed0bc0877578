"""The task queue that runs background jobs (jigai/jobs), chosen by environment variables.

``JIGAI_TASKS_BACKEND``:

* ``database`` (default): django-tasks-db keeps the queue in the platform's own database; a worker
  (``jigai db_worker``) runs it. ``python3 dev.py start`` starts one beside the web server.
* ``redis``: django-tasks-rq over RQ, for several machines; ``JIGAI_REDIS_URL`` (default
  ``redis://127.0.0.1:6379/0``) names the server; the worker is ``jigai rqworker --job-class django_tasks_rq.Job default``.
* ``immediate``: run each job inside the request that starts it (the tests use this).

docs/operator-guide.md, “后台任务”, has the commands and a systemd unit for each.
"""

from __future__ import annotations

from collections.abc import Mapping

QUEUE = "default"
DB_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
# The database queue's tables are migrated whichever backend runs, so switching needs no migration.
APPS = ["django_tasks", "django_tasks_db"]


def tasks_settings(environ: Mapping[str, str]) -> dict:
    """{"TASKS": …, "RQ_QUEUES": …, "apps": the INSTALLED_APPS the backend needs}."""
    choice = (environ.get("JIGAI_TASKS_BACKEND") or "database").strip().lower()
    if choice == "redis":
        url = environ.get("JIGAI_REDIS_URL") or "redis://127.0.0.1:6379/0"
        return {
            "TASKS": {"default": {"BACKEND": RQ_BACKEND, "QUEUES": [QUEUE]}},
            "RQ_QUEUES": {QUEUE: {"URL": url, "DEFAULT_TIMEOUT": 3600}},
            "apps": [*APPS, "django_rq"],
        }
    if choice == "immediate":
        return {"TASKS": {"default": {"BACKEND": IMMEDIATE_BACKEND}}, "RQ_QUEUES": {}, "apps": APPS}
    if choice != "database":
        raise ValueError(f"JIGAI_TASKS_BACKEND：不认识“{choice}”，可选 database、redis、immediate")
    return {
        "TASKS": {"default": {"BACKEND": DB_BACKEND, "QUEUES": [QUEUE]}},
        "RQ_QUEUES": {},
        "apps": APPS,
    }
