"""gunicorn's settings for Guitu: `gunicorn -c gunicorn.conf.py wsgi:app` (the README's deployment).

The app and the whole language core (dictionary, segmenter, pinyin and name models) load once, in
the master, before it forks: every worker starts ready and shares those pages with the others.
Settings an operator changes come from the environment.
"""
import gc
import os
import time

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
# The proxy in front (see the README) sends X-Forwarded-*; the app trusts PROXY_COUNT of them.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def when_ready(server):
    """In the master, after the app is loaded and before any worker is forked."""
    import vocab

    started = time.perf_counter()
    vocab.warm()
    # Objects made so far are never collected again: a worker's garbage collector then does not
    # write to (and so copy) the pages it shares with the master.
    gc.freeze()
    server.log.info("language core loaded in %.2f s; %d objects frozen", time.perf_counter() - started,
                    gc.get_freeze_count())


def post_fork(server, worker):
    worker.forked_at = time.perf_counter()


def post_worker_init(worker):
    from app.services import fit_worker

    # With FSRS_OPTIMIZER=thread, each worker's optimiser thread starts now (threads do not survive the
    # fork), so fits queued before a restart resume without waiting for a request. (Only Guitu has
    # one: bench/reference_app.py is served with this file too.)
    if "FSRS_OPTIMIZER" in worker.wsgi.config:
        fit_worker.ensure_worker(worker.wsgi)
    worker.log.info("worker %s ready %.3f s after fork", worker.pid, time.perf_counter() - worker.forked_at)
