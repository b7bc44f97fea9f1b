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
