"""Cached reads kept with the version of the data they were read from (common/cache_versions.py):
reused until the version moves on, read again after, whether the version was bumped, evicted or
never set."""

import pytest
from django.core.cache import cache

from common import cache_versions


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_cached_read_is_reused_until_its_data_moves_on(db):
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    assert cache_versions.cached("answer", "things", compute, timeout=60) == 1
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 1
    assert (
        cache_versions.cached("answer", "other-things", compute, timeout=60) == 2
    )  # another version
    cache_versions.bump("things")
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 3
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 3
    cache.delete("version:things")  # the version evicted: nothing kept before it is trusted
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 4
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 4
    cache.set("answer", "not a kept value")  # anything else under the key is read again
    assert cache_versions.cached("answer", "things", compute, timeout=60) == 5


class CountingCache:
    """Counts the cache's reads during a block (each `get_many` is one round trip)."""

    def __init__(self, monkeypatch):
        self.reads = 0
        original = cache.get_many

        def get_many(keys, *args, **kwargs):
            self.reads += 1
            return original(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", get_many)


def test_reads_named_ahead_take_one_trip_to_the_cache_and_give_what_they_would_alone(
    db, monkeypatch
):
    cache_versions.cached("a", "things", lambda: "A", timeout=60)
    cache_versions.cached("b", "people", lambda: "B", timeout=60)
    counting = CountingCache(monkeypatch)
    with cache_versions.read_ahead([("a", "things"), ("b", "people")]):
        assert cache_versions.cached("a", "things", lambda: "not kept", timeout=60) == "A"
        assert cache_versions.cached("b", "people", lambda: "not kept", timeout=60) == "B"
        assert counting.reads == 1
        # A read not named ahead fetches its own.
        assert cache_versions.cached("c", "things", lambda: "C", timeout=60) == "C"
        assert counting.reads == 2


def test_what_was_read_ahead_is_not_trusted_once_a_version_moves_on_inside(db):
    cache_versions.cached("a", "things", lambda: "old", timeout=60)
    with cache_versions.read_ahead([("a", "things")]):
        cache_versions.bump("things")
        assert cache_versions.cached("a", "things", lambda: "new", timeout=60) == "new"
        assert cache_versions.cached("a", "things", lambda: "newer", timeout=60) == "new"
    assert cache_versions.cached("a", "things", lambda: "newest", timeout=60) == "new"


def test_a_read_named_ahead_but_not_yet_cached_is_computed_once(db):
    computed = []
    with cache_versions.read_ahead([("a", "things")]):
        for _ in range(2):
            cache_versions.cached("a", "things", lambda: computed.append(1) or 1, timeout=60)
    assert computed == [1]
