"""Cached reads made stale by writes: a version number per kind of data, which a write moves on,
so every cached read under the old number is simply never read again.

A write bumps at once (its own transaction then reads fresh values) and again when it commits (a
read made meanwhile by another request, from before the commit, is left behind too). Bumping is an
atomic increment in the shared cache, so every web process sees it.
"""

from django.core.cache import cache
from django.db import transaction


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> int:
    return int(cache.get_or_set(_key(name), 1, timeout=None) or 1)


def _bump(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # not in the cache (evicted, or a fresh cache): any new number will do
        cache.add(_key(name), 1, timeout=None)
        cache.incr(_key(name))


def bump(name: str) -> None:
    """Make every cached read of `name` stale, now and once the transaction commits."""
    _bump(name)
    transaction.on_commit(lambda: _bump(name), robust=True)
