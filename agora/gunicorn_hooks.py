"""Gunicorn's settings for `agora serve` (`--config python:agora.gunicorn_hooks`)."""

import gc


def post_worker_init(worker):
    """Once a worker has loaded Django and the apps, move what they allocated (modules, models,
    the URL map: a few hundred thousand objects) out of the cyclic garbage collector's reach.
    A full collection then walks only what requests leave behind, instead of pausing a
    request for tens of milliseconds now and then (measured with bench/social.py)."""
    gc.freeze()


def child_exit(server, worker):
    """A worker that ends leaves its counts for /metrics to add up; its gauges go with it."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# The longest request line gunicorn reads (its maximum short of "unlimited"): addresses up to
# it reach Agora, which answers one over `core.middleware.MAX_ADDRESS_LENGTH` with a 414 in the
# shape of the part of the site asked; only a longer line gets gunicorn's own plain 414.
limit_request_line = 8190
