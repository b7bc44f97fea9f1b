"""The load test's own logic (bench/load/): what a simulated person reads off a page, and the
verdict on a run. The run itself needs gunicorn, Redis and a worker: `python -m bench.load`."""

import json

import pytest

from bench.load import pages, report
from tests.totp import totp_code

PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken"
 value="out"><button type="submit">Sign out</button></form>
<main>
<form method="post" action="/applications/RKCP-2026-000001/understanding/"
 enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="text" name="policy" value="IR-1 &amp; IR-2">
  <input type="checkbox" name="record_types" value="entry" checked>
  <input type="checkbox" name="record_types" value="invoices">
  <input type="radio" name="score_1" value="0"><input type="radio" name="score_1" value="3">
  <input type="radio" name="score_1" value="none" checked>
  <select name="state"><option value="">Choose</option><option value="CA" selected>CA</option>
  </select>
  <select name="kind"><option value="llc">LLC</option><option value="inc">Inc.</option></select>
  <textarea name="narrative">
Kept five years.</textarea>
  <input type="text" name="gone" value="x" disabled>
  <input type="file" name="evidence">
  <button type="submit" name="action" value="continue">Save and
   continue</button>
  <button type="submit" name="action" value="exit">Save and exit</button>
</form>
</main>
<nav aria-label="Pagination" class="usa-pagination"><ul>
  <li><a href="?page=1" aria-label="Page 1" aria-current="page">1</a></li>
  <li><a href="?page=2" aria-label="Page 2">2</a></li>
  <li><a href="?status=submitted&amp;page=10" aria-label="Page 10">10</a></li>
  <li><a href="?status=submitted&amp;page=last" aria-label="Page 4,000, last page">4,000</a></li>
  <li><a href="?after=xyz" aria-label="Next page">Next</a></li>
</ul></nav>
"""


def test_a_form_is_sent_as_a_browser_sends_it_unchanged():
    form = pages.form_posting_to(PAGE, "/applications/RKCP-2026-000001/understanding/")
    assert form.enctype == "multipart/form-data"
    assert form.data(button="save and continue") == [
        ("csrfmiddlewaretoken", "tok"),
        ("policy", "IR-1 & IR-2"),
        ("record_types", "entry"),
        ("score_1", "none"),
        ("state", "CA"),
        ("kind", "llc"),
        ("narrative", "Kept five years."),
        ("action", "continue"),
    ]
    assert form.file_inputs == ["evidence"]


def test_a_person_picks_a_radio_value_in_place_of_the_checked_one():
    form = pages.form_posting_to(PAGE, "/applications/RKCP-2026-000001/understanding/")
    assert form.radios == {"score_1": ["0", "3", "none"]}
    sent = form.data(choose={"score_1": "3"})
    assert ("score_1", "3") in sent
    assert ("score_1", "none") not in sent


def test_a_button_the_form_does_not_have_is_an_error_not_a_silent_post():
    form = pages.form_posting_to(PAGE, "/applications/RKCP-2026-000001/understanding/")
    with pytest.raises(LookupError):
        form.data(button="Submit the application")


def test_a_page_without_the_form_is_an_error():
    with pytest.raises(LookupError):
        pages.form_posting_to(PAGE, "/staff/applications/1/scores")


def test_the_pager_goes_to_its_highest_numbered_page_past_the_current_one():
    assert pages.furthest_page(PAGE) == "?status=submitted&page=10"
    assert pages.furthest_page(PAGE, current=10) is None
    assert pages.furthest_page("<p>No pager</p>") is None


def test_the_pager_links_are_found_by_what_they_say_to_a_screen_reader():
    assert pages.pager_link(PAGE, "Next page") == "?after=xyz"
    assert pages.pager_link(PAGE, "last page") == "?status=submitted&page=last"
    assert pages.pager_link(PAGE, "Previous page") is None


def test_the_current_page_is_not_a_link_to_follow():
    nav = '<nav class="usa-pagination"><a href="?page=9" aria-label="Page 9, last page" aria-current="page">9</a></nav>'
    assert pages.pager_link(nav, "last page") is None


@pytest.mark.parametrize("at", [0, 59, 1_700_000_000, 1_800_000_029.9])
def test_the_totp_code_is_the_one_allauth_accepts(at):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"
    assert pages.totp_code(secret, at) == totp_code(secret, at)


def test_the_95th_percentile_interpolates_between_ranks():
    samples = [float(n) for n in range(1, 21)]  # 1..20: rank 0.95 × 19 = 18.05 → 19 + 0.05
    assert report.percentile(samples, 95) == pytest.approx(19.05)
    assert report.percentile([7.0], 95) == 7.0


def _result(samples: dict, **kwargs) -> report.Result:
    return report.Result(
        pages=[report.Page(name, values) for name, values in samples.items()],
        floor="/healthz",
        seconds=10.0,
        errors=kwargs.pop("errors", []),
        signed_in=2,
        **kwargs,
    )


def test_a_page_within_four_times_the_floor_passes_and_one_above_fails():
    result = _result(
        {
            "/healthz": [10.0] * 20,
            "queue: first page": [40.0] * 20,
            "workspace": [41.0] * 20,
            "sign in: password": [900.0] * 2,  # hashing a password is slow on purpose
        }
    )
    assert result.problems() == [
        "workspace: p95 41 ms is 4.1x the floor's 10.0 ms (at most 4x)",
    ]
    assert result.requests_per_second == pytest.approx(6.2)


def test_any_error_or_unfinished_work_fails_the_run():
    result = _result(
        {"/healthz": [10.0], "sign-off: certify": [300.0]},
        errors=["POST sign-off: certify: 400 (expected 302)"],
        letters={"ready": 1, "pending": 1},
        emails_asked=2,
        emails_sent=1,
    )
    problems = result.problems()
    assert problems[0] == "error: POST sign-off: certify: 400 (expected 302)"
    assert "letters the worker did not finish: {'pending': 1}" in problems
    assert "emails sent 1 of 2" in problems


def test_a_sign_off_that_gave_the_worker_nothing_fails_the_run():
    result = _result({"/healthz": [10.0], "sign-off: certify": [30.0]})
    assert result.problems() == ["decisions were signed off but the worker was given no letter"]


def test_a_run_without_the_floor_fails(tmp_path):
    window = tmp_path / "window.json"
    window.write_text(
        json.dumps({"window": [100.0, 160.0], "samples": {"workspace": [50.0]}, "errors": []})
    )
    result = report.Result.read(window=window, floor="/healthz", work={}, load=(1.0, 0.5, 0.2))
    assert result.seconds == 60.0
    assert result.problems() == ["the floor (/healthz) was not measured"]


def test_a_run_that_never_started_its_clock_fails(tmp_path):
    window = tmp_path / "window.json"
    window.write_text(json.dumps({"window": [None, None], "samples": {}, "errors": []}))
    result = report.Result.read(window=window, floor="/healthz", work={}, load=(1.0, 0.5, 0.2))
    assert "nothing was measured: not everyone signed in" in result.problems()


def test_the_report_names_the_slowest_requests_and_when_in_the_window_they_started(tmp_path):
    window = tmp_path / "window.json"
    timeline = [
        [100.5, 30.0, "/healthz"],  # ended at 100.5 s, took 30 ms: started 0.47 s in
        [112.25, 250.0, "workspace"],  # started 12.0 s in
        [130.1, 100.0, "queue: port"],
    ]
    window.write_text(
        json.dumps(
            {
                "window": [100.0, 160.0],
                "samples": {"/healthz": [30.0], "workspace": [250.0], "queue: port": [100.0]},
                "timeline": timeline,
                "errors": [],
            }
        )
    )
    result = report.Result.read(window=window, floor="/healthz", work={}, load=(1.0, 0.5, 0.2))
    assert result.slowest(2) == [
        "  250.0 ms at  12.0 s  workspace",
        "  100.0 ms at  30.0 s  queue: port",
    ]
    table = report.table(result, users=3, applications=10)
    assert "The slowest requests, and when they started:" in table
    assert "   30.0 ms at   0.5 s  /healthz" in table
