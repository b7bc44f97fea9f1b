"""What an authenticator app does: the current TOTP code for a secret (RFC 6238)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30


def totp_code(secret: str, at: float | None = None) -> str:
    return format_hotp_value(
        hotp_value(secret, int(at if at is not None else time.time()) // PERIOD)
    )


def fresh_totp_code(secret: str, *, margin: float = 4.0) -> str:
    """A code with at least `margin` seconds of its period left, so that it is still the current
    code when the server checks it (allauth allows no drift by default)."""
    left = PERIOD - time.time() % PERIOD
    if left < margin:
        time.sleep(left + 0.1)
    return totp_code(secret)
