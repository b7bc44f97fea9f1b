"""Sealing at rest (common/sealing.py) and importer numbers as rows keep them
(recordkeepers/importer_numbers.py): pure logic, no database."""

import json

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError

from common.sealing import SealBroken, blind_index, derived_key, key_problems, seal, unseal
from recordkeepers.importer_numbers import StoredNumbers, in_full, needs_sealing, search_digest
from recordkeepers.validators import KeepingSaved, is_masked, masked

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
SSN = "536-22-1947"


@pytest.fixture
def keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.BLIND_INDEX_KEY = "k" * 40
    return settings


def test_a_sealed_value_opens_to_what_was_sealed_and_never_shows_it(keys):
    token = seal(SSN)
    assert unseal(token) == SSN
    assert SSN not in token and "536221947" not in token
    assert seal(SSN) != token  # a fresh nonce each time: equal values do not look equal


def test_a_new_key_put_first_opens_old_values_and_dropping_the_old_one_too_early_is_loud(keys):
    token = seal(SSN)
    keys.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert unseal(token) == SSN
    assert Fernet(NEW_KEY).decrypt(seal(SSN).encode()) == SSN.encode()  # new seals: newest key
    keys.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(SealBroken):
        unseal(token)


def test_the_search_digest_is_keyed(keys):
    digest = blind_index(SSN)
    assert digest == blind_index(SSN)
    assert len(digest) == 64 and SSN not in digest
    keys.BLIND_INDEX_KEY = "j" * 40
    assert blind_index(SSN) != digest  # without the key, trying every SSN finds nothing


def test_keys_are_checked_when_settings_load():
    assert key_problems([Fernet.generate_key().decode()], "x" * 32) == []
    assert key_problems([], "x" * 32) == ["RKCP_FIELD_ENCRYPTION_KEYS names no key"]
    (problem,) = key_problems([Fernet.generate_key().decode(), "not-a-key"], "x" * 32)
    assert problem.startswith("key 2 of RKCP_FIELD_ENCRYPTION_KEYS is not a Fernet key")
    assert key_problems([OLD_KEY], "short") == [
        "RKCP_BLIND_INDEX_KEY must be at least 32 characters"
    ]
    Fernet(derived_key("any secret", "field encryption"))  # development's default is a key
    assert derived_key("s", "field encryption") != derived_key("s", "blind index")


def test_a_social_security_number_is_shown_by_its_last_four_digits_only():
    assert masked(SSN) == "XXX-XX-1947"
    assert masked("95-234567800") == "95-234567800"
    assert masked("951234-56789") == "951234-56789"
    assert is_masked("XXX-XX-1947") and not is_masked(SSN)


def test_a_row_keeps_business_numbers_as_they_are_and_seals_a_list_with_a_personal_one(keys):
    business = StoredNumbers.of(["95-234567800"])
    assert business == StoredNumbers(shown=["95-234567800"], sealed="", digests=[])

    stored = StoredNumbers.of(["95-234567800", SSN])
    assert stored.shown == ["95-234567800", "XXX-XX-1947"]
    assert json.loads(unseal(stored.sealed)) == ["95-234567800", SSN]
    assert stored.digests == [search_digest(SSN)]
    assert in_full(stored.shown, stored.sealed) == ["95-234567800", SSN]


def test_a_row_needs_sealing_when_it_holds_a_number_in_clear_or_an_old_key_sealed_it(keys):
    stored = StoredNumbers.of([SSN])
    assert not needs_sealing(stored.shown, stored.sealed)
    assert needs_sealing([SSN], "")
    assert not needs_sealing(["95-234567800"], "")
    keys.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert needs_sealing(stored.shown, stored.sealed)


def test_a_masked_line_sent_back_keeps_the_saved_number_it_masks():
    keep = KeepingSaved(["95-234567800", SSN, "536-22-1947".replace("536", "537")])
    assert keep("XXX-XX-1947") == SSN
    assert keep("xxx-xx-1947") == "537-22-1947"  # the second saved number ending in 1947
    assert keep("95 2345678 01") == "95-234567801"  # any other line is read as typed
    with pytest.raises(ValidationError) as error:
        keep("XXX-XX-1947")  # both saved numbers ending in 1947 are taken
    assert error.value.code == "masked"
    assert "no saved number ends in 1947" in error.value.messages[0]
