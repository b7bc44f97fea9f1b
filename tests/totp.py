"""What an authenticator app does: the current TOTP code for a secret (RFC 6238)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30


def totp_code(secret: str, at: float | None = None) -> str:
    return format_hotp_value(
        hotp_value(secret, int(at if at is not None else time.time()) // PERIOD)
    )
