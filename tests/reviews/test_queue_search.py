"""The queue's search: a reference or a whole importer number (however it is typed) finds exactly
its application, by an exact lookup; anything else is a substring of the reference, legal name and
numbers, which PostgreSQL answers through a trigram index."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from certification.models import Application
from reviews.selectors import QueueFilters, queue, queue_search
from reviews.selectors.queue_search import search_condition


@pytest.fixture
def seeded(handbook_in_force):
    call_command("seed_scale", applications=60, seed=3, force=True, stdout=StringIO())
    return list(Application.objects.order_by("pk"))


def found(user, text: str) -> set[int]:
    return {row.pk for row in queue(user=user, filters=QueueFilters(search=text))}


def test_a_reference_finds_its_application_and_no_other(seeded, supervisor):
    one = seeded[17]
    assert found(supervisor, one.reference) == {one.pk}
    assert found(supervisor, f"  {one.reference.lower()} ") == {one.pk}


def test_an_importer_number_finds_its_application_however_it_is_typed(seeded, supervisor):
    one = seeded[23]
    number = one.profile_snapshot["importer_numbers"][0]  # canonical: NN-NNNNNNNSS
    irs, rest = number.split("-")
    for typed in (
        number,
        irs + rest,
        f"{irs} {rest[:7]} {rest[7:]}",
        f"{irs}-{rest[:7]}-{rest[7:]}",
    ):
        assert found(supervisor, typed) == {one.pk}, typed


def test_part_of_an_importer_number_is_still_found_as_text(seeded, supervisor):
    one = seeded[5]
    number = one.profile_snapshot["importer_numbers"][0]
    part = number[:-2]  # without its suffix: not a whole importer number
    expected = {
        a.pk
        for a in seeded
        if any(n.startswith(part) for n in a.profile_snapshot["importer_numbers"])
    }
    assert one.pk in expected
    assert found(supervisor, part) == expected


def test_part_of_a_legal_name_finds_the_applications_that_have_it(seeded, supervisor):
    word = seeded[0].profile_snapshot["legal_name"].split()[1]  # a trade, shared by several
    expected = {a.pk for a in seeded if word.lower() in a.profile_snapshot["legal_name"].lower()}
    assert len(expected) > 1
    assert found(supervisor, word.upper()) == expected
    assert found(supervisor, "no such organisation at all") == set()


def test_a_search_that_looks_like_a_reference_but_is_not_one_finds_nothing(seeded, supervisor):
    assert found(supervisor, "RKCP-1999-999999") == set()


def plan(queryset) -> str:
    """The plan PostgreSQL would choose were the table large: reading it whole not an option."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE certification_application")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


@pytest.mark.postgres
def test_the_search_indexes_exist_and_serve_the_queue_search(seeded, supervisor):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["certification_application"],
        )
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["application_search_trgm"]
    assert "jsonb_path_ops" in indexes["application_importer_numbers"]

    # The search's condition alone, as the queue puts it together.
    name = Application.objects.filter(search_condition("harbor logistics"))
    assert "Bitmap Index Scan on application_search_trgm" in plan(name)
    number = seeded[0].profile_snapshot["importer_numbers"][0].replace("-", "")
    by_number = Application.objects.filter(search_condition(number))
    assert "Bitmap Index Scan on application_importer_numbers" in plan(by_number)


def test_words_are_found_only_together_and_in_order_as_typed(seeded, supervisor):
    """Several words are looked up by the longest in the index and checked whole on the rows: the
    result is that of the whole text as a substring, never of the longest word alone."""
    one = seeded[9]
    first, trade, coined = one.profile_snapshot["legal_name"].split()[:3]
    shared = {a.pk for a in seeded if coined.lower() in a.search_text}
    assert found(supervisor, f"{first} {trade} {coined}") == {one.pk} <= shared
    # The longest word is there, the whole is not: nothing.
    assert found(supervisor, f"{coined} {first}") == set()
    # Two common words: every application whose name has them, together.
    together = f"{first} {trade}".lower()
    assert found(supervisor, f"{first} {trade}") == {
        a.pk for a in seeded if together in a.search_text
    }


def test_of_several_words_a_rare_longest_is_the_pattern_the_trigram_index_reads(
    seeded, supervisor, monkeypatch
):
    one = seeded[9]
    first, trade, coined = one.profile_snapshot["legal_name"].split()[:3]
    typed = f"{first} {trade} {coined}"

    def sql() -> str:
        return str(queue(user=supervisor, filters=QueueFilters(search=typed))._ids.query)

    # The coined word is in one application's name: rare. Looked up alone, the whole checked.
    rare = sql()
    assert f"LIKE %{coined.lower()}%" in rare  # the pattern an index can serve
    assert f"LIKE %{first.lower()}" not in rare and f"LIKE %{trade.lower()}" not in rare
    assert "STRPOS(" in rare.upper() or "INSTR(" in rare.upper()  # the whole, checked on rows
    assert typed.lower() in rare
    # Were a word in one application common, the whole would be looked up.
    cache.clear()
    monkeypatch.setattr(queue_search, "RARE_BELOW", 1)
    common = sql()
    assert f"LIKE %{typed.lower()}%" in common and "STRPOS(" not in common.upper()
    assert found(supervisor, typed) == {one.pk}
