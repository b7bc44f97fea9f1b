"""Cached reads made stale by writes: a version number per kind of data, which a write moves on,
so every cached read under the old number is simply never read again.

A write bumps at once (its own transaction then reads fresh values) and again when it commits (a
read made meanwhile by another request, from before the commit, is left behind too). Bumping is an
atomic increment in the shared cache, so every web process sees it.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction


def _key(name: str) -> str:
    return f"version:{name}"


# What `read_ahead` fetched for the reads about to be made: key to value, absent when not cached.
_AHEAD: ContextVar[dict[str, Any] | None] = ContextVar("cache_versions_ahead", default=None)


@contextmanager
def read_ahead(reads: Iterable[tuple[str, str]]) -> Iterator[None]:
    """Fetch, in one round trip, what the `cached` calls made inside will ask for: each
    (key, version_of) pair's value and version. A page that reads several cached values pays for
    one trip to the cache, not one each; a read not named here fetches its own as usual."""
    pairs = list(reads)
    keys = {key for key, _ in pairs} | {_key(version_of) for _, version_of in pairs}
    token = _AHEAD.set(cache.get_many(list(keys)))
    try:
        yield
    finally:
        _AHEAD.reset(token)


def current(name: str) -> int:
    return int(cache.get_or_set(_key(name), 1, timeout=None) or 1)


def currents(names: Iterable[str]) -> tuple[int, ...]:
    """The versions of `names`, in one round trip (starting any not in the cache)."""
    names = list(names)
    found = cache.get_many([_key(name) for name in names])
    return tuple(int(found[_key(name)]) if _key(name) in found else current(name) for name in names)


def cached[T](key: str, version_of: str, compute: Callable[[], T], *, timeout: int) -> T:
    """`compute()`, kept in the cache under `key` until the version of `version_of` moves on (or
    `timeout` passes). The value is kept with the version it was computed at, so that the version
    and the value are read in one round trip, not one after the other."""
    version_key = _key(version_of)
    ahead = _AHEAD.get()
    if ahead is not None and version_key in ahead and key in ahead:
        found: dict[str, Any] = ahead
    else:
        found = cache.get_many([version_key, key])
    version, kept = found.get(version_key), found.get(key)
    if version is not None and isinstance(kept, tuple) and len(kept) == 2 and kept[0] == version:
        return kept[1]
    if version is None:  # not in the cache (evicted, or a fresh cache): start one
        version = current(version_of)
    value = compute()
    cache.set(key, (version, value), timeout=timeout)
    if ahead is not None:
        ahead.update({version_key: version, key: (version, value)})
    return value


def _bump(name: str) -> None:
    if ahead := _AHEAD.get():
        ahead.clear()  # what was read ahead may now be stale: later reads ask the cache again
    try:
        cache.incr(_key(name))
    except ValueError:  # not in the cache (evicted, or a fresh cache): any new number will do
        cache.add(_key(name), 1, timeout=None)
        cache.incr(_key(name))


def bump(name: str) -> None:
    """Make every cached read of `name` stale, now and once the transaction commits."""
    _bump(name)
    transaction.on_commit(lambda: _bump(name), robust=True)
