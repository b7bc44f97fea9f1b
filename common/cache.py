"""Django's Redis cache, except that a Redis that cannot be reached is a miss, not an error.

Everything kept in the cache is derived from the database or may be lost (queue counts, rendered
parts, version numbers, sign-in rate-limit counters, used TOTP codes), so a page can always be made
without it. Django's backend raises redis' ConnectionError, which turned a cache outage into a 500
on every page. Here each operation that cannot reach Redis answers as an empty cache would: a read
finds nothing, a write keeps nothing. After a failure the process does not try Redis again for
`PAUSE_SECONDS`, so that an unreachable server costs one timeout, not one per operation.

What this costs while Redis is down, and is logged (`rkcp.cache`, WARNING once per outage and
process): sign-in rate limits are not counted and a TOTP code is not remembered as used, so
neither is enforced until Redis is back (docs/security.md).
"""

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("rkcp.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
PAUSE_SECONDS = 2.0


class DegradingRedisCacheClient(RedisCacheClient):
    _down_until = 0.0

    def _try(self, operation: str, missed: Any, *args: Any) -> Any:
        if time.monotonic() < self._down_until:
            return missed
        try:
            result = getattr(super(), operation)(*args)
        except UNREACHABLE as error:
            if not self._down_until:
                logger.warning("The cache cannot be reached (%s); working without it", error)
            self._down_until = time.monotonic() + PAUSE_SECONDS
            return missed
        if self._down_until:
            logger.info("The cache can be reached again")
            self._down_until = 0.0
        return result

    def get(self, key: Any, default: Any) -> Any:
        return self._try("get", default, key, default)

    def get_many(self, keys: Any) -> Any:
        return self._try("get_many", {}, keys)

    def has_key(self, key: Any) -> Any:
        return self._try("has_key", False, key)

    # As if the key had been absent and the write made: `add` succeeds (allauth's rate limit
    # takes its lock with it, and would otherwise refuse every sign-in), `incr` counts from zero.
    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._try("add", True, key, value, timeout)

    def incr(self, key: Any, delta: int) -> Any:
        return self._try("incr", delta, key, delta)

    def set(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._try("set", None, key, value, timeout)

    def set_many(self, data: Any, timeout: Any) -> Any:
        return self._try("set_many", None, data, timeout)

    def touch(self, key: Any, timeout: Any) -> Any:
        return self._try("touch", False, key, timeout)

    def delete(self, key: Any) -> Any:
        return self._try("delete", False, key)

    def delete_many(self, keys: Any) -> Any:
        return self._try("delete_many", None, keys)

    def clear(self) -> Any:
        return self._try("clear", False)


class DegradingRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
