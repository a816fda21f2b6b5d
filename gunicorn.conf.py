"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (see docs/deploy.md).

Every value can be overridden from the environment, so one file serves every server.
"""

import multiprocessing
import os

bind = os.environ.get("SHARING_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker serve feeds and pages while another request waits on the database.
worker_class = "gthread"
threads = int(os.environ.get("SHARING_THREADS", "4"))
timeout = int(os.environ.get("SHARING_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that slow leaks never build up.
max_requests = 5000
max_requests_jitter = 500
# Each worker builds its own app (and its no-show sweeper thread): no preloading before fork.
preload_app = False
# The app writes one structured line per request itself (with its request id).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("SHARING_LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# /metrics under several workers: prometheus-client's multiprocess mode. Each worker writes its
# figures to files in this folder and a scrape, whichever worker answers it, adds them all up.
# The folder (one per address served, so that two servers on a host never mix) is emptied when
# the server starts (figures of a former run would add up too); a dead worker's are marked so.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(os.environ.get("TMPDIR", "/tmp"), "sharing-metrics-" + bind.replace(":", "-")),
)


def on_starting(server):
    import shutil

    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Each worker warms up before it accepts a connection: the first search and the first
    need read after a start or a recycle do not wait for the tokenizer (sharing.warm_up)."""
    from sharing import warm_up

    warm_up(worker.wsgi)
    settle_heap()


def settle_heap():
    """What the worker holds for its life (modules, the app, jieba's dictionary, the matching
    indexes) out of the cycle collector's way: its full passes walked all of it, a pause of
    200-300 ms every few report requests at ten times the demo's size (the pages' p95)."""
    import gc
    import logging

    gc.collect()
    gc.freeze()
    logging.getLogger("sharing").info(
        "heap settled: %d objects kept out of collection", gc.get_freeze_count()
    )
