"""Values sealed at rest: encrypted with Fernet (AES-128-CBC with an HMAC-SHA256 tag, from
`cryptography`), and looked up exactly through a keyed digest that reveals nothing without its key.

The keys come from settings (`FIELD_ENCRYPTION_KEYS`, newest first, and `BLIND_INDEX_KEY`; see
docs/operations.md, "Keys for personal data"). A value is sealed with the first key and opened with
any of them, so a new key is put first, `manage.py reseal_importer_numbers` seals every row again
with it, and only then is the old one dropped.

Pure functions over text: what is sealed, and where it is kept, is for the caller to say
(recordkeepers.importer_numbers).
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class SealBroken(Exception):
    """A sealed value that none of the keys opens: a key was dropped too early, or the value was
    changed outside the service."""


def derived_key(secret: str, purpose: str) -> str:
    """A Fernet-shaped key derived from `secret` for one `purpose`: development's default, so that
    a checkout works without setting keys (production must set its own: config.settings)."""
    digest = hashlib.sha256(f"rkcp {purpose}\0{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def key_problems(encryption_keys: list[str], index_key: str) -> list[str]:
    """What is wrong with the keys settings read, in words for whoever deploys (settings refuse to
    load with any: a wrong key would otherwise be found at the first sealed value)."""
    problems = []
    if not encryption_keys:
        problems.append("RKCP_FIELD_ENCRYPTION_KEYS names no key")
    for position, key in enumerate(encryption_keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            problems.append(
                f"key {position} of RKCP_FIELD_ENCRYPTION_KEYS is not a Fernet key (32 bytes in "
                "URL-safe base64, as Fernet.generate_key() makes)"
            )
    if len(index_key) < 32:
        problems.append("RKCP_BLIND_INDEX_KEY must be at least 32 characters")
    return problems


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


@cache
def _index_key() -> bytes:
    return settings.BLIND_INDEX_KEY.encode()


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting in {"FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}:
        _fernet.cache_clear()
        _index_key.cache_clear()


def seal(text: str) -> str:
    """`text` encrypted with the newest key (a fresh nonce each time: the same text seals
    differently twice)."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    """The text `token` seals, opened with whichever key sealed it."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SealBroken("None of the field encryption keys opens this value.") from error


def is_sealed_with_newest_key(token: str) -> bool:
    """Whether the newest key opens `token` (a row rotation has not reached yet opens only with an
    older one)."""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def blind_index(text: str) -> str:
    """HMAC-SHA256 of `text` under the blind-index key, in hex: equal texts give equal digests, so
    an exact search can match on it, and without the key it cannot be reversed by trying every
    nine-digit number (as a plain hash of a Social Security number can be, in seconds)."""
    return hmac.new(_index_key(), text.encode(), hashlib.sha256).hexdigest()
