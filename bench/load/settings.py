"""The service's settings, with the fair floor routed beside its pages (bench/queue_floor.py): the
load test samples that page too, as the floor the queue benchmark holds pages to."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.queue_floor"
