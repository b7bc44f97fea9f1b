"""The private services the fault tests stop and start (tests/faults/services.py)."""

from tests.faults.services import private_postgres, private_redis  # noqa: F401
