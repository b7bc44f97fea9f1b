"""The service's settings, with the fair floor routed beside its pages (bench/queue_floor.py): the
load test samples that page too, as the floor the queue benchmark holds pages to."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.queue_floor"

# Every simulated person signs in from 127.0.0.1, where real people each have their own address:
# allauth's sign-ins per address (30 a minute by default) would refuse most of them, so the limit per
# address is lifted here; the per-account limits stay as they are.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "10000/m/ip"}  # noqa: F405
