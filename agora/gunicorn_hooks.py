"""Gunicorn's settings for `agora serve` (`--config python:agora.gunicorn_hooks`)."""

import gc


def post_worker_init(worker):
    """Once a worker has loaded Django and the apps, move what they allocated (modules, models,
    the URL map: a few hundred thousand objects) out of the cyclic garbage collector's reach.
    A full collection then walks only what requests leave behind, instead of pausing a
    request for tens of milliseconds now and then (measured with bench/social.py)."""
    gc.freeze()
