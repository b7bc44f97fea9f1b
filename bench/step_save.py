"""Benchmark: saving a wizard demonstration step, against a baseline one-field model form save.

    python -m bench.step_save [--rounds 200] [--warmup 30] [--show-queries] [--profile N]

Both POSTs go through `django.test.Client` in this process, so each crosses the whole middleware
stack, the session and the login, but no network or WSGI server. They are interleaved, round after
round, so that whatever else the (shared, noisy) machine is doing falls on both alike; the result
that counts is the ratio of their medians, not either time. Exits 1 when the ratio exceeds
`MAX_RATIO` or the step runs more queries than its test allows, so `make bench` fails loudly.

The database is the configured one (`DATABASE_URL`); when that is not set, the local PostgreSQL at
`bench.common.DEFAULT_DATABASE_URL` if it answers, else SQLite. Either way the bench works in a
throwaway test database (`test_<name>`), made and dropped here as the test runner does, and never
touches real data. See docs/benchmarks.md.
"""

import argparse
import statistics
import sys
import time

from bench import common
from bench.common import MAX_RATIO, MS, p90


class Bench:
    """An owner signed in to a complete draft, and the two POSTs to time."""

    def __init__(self) -> None:
        from django.test import Client
        from django.urls import reverse

        from certification.models import Application, DemonstrationResponse
        from certification.wizard import steps as wizard
        from recordkeepers.models import Membership
        from tests.factories import MembershipFactory, draft_application

        owner = MembershipFactory(role=Membership.Role.OWNER).user
        # A complete draft, so the step updates a stored response, as most saves do.
        self.application = draft_application(owner=owner, attested=False)
        step = wizard.STEPS_BY_SLUG[wizard.RECORDS]
        stored = DemonstrationResponse.objects.get(
            application=self.application, demonstration=step.demonstration
        )
        self.answers = {
            name: stored.answers.get(name, "")
            for name in step.form_class.base_fields
            if name not in {"narrative", "evidence", "version"}
        }
        self.version = Application.objects.get(pk=self.application.pk).version
        self.step_url = reverse("certification:wizard-step", args=[self.application.pk, step.slug])
        self.next_url = reverse(
            "certification:wizard-step",
            args=[self.application.pk, wizard.next_step(self.application, step).slug],
        )
        self.baseline_url = reverse("bench-baseline", args=[self.application.organisation_id])
        self.client = Client()
        self.client.force_login(owner)
        self.saves = 0

    def step_post(self) -> float:
        """One "Save and continue" of the records step, with changed answers so that it writes."""
        self.saves += 1
        data = {
            **self.answers,
            "retrieval_days": str(1 + self.saves % 30),
            "narrative": f"Revision {self.saves} of our records procedures.",
            "version": str(self.version),
            "action": "continue",
        }
        started = time.perf_counter()
        response = self.client.post(self.step_url, data)
        elapsed = time.perf_counter() - started
        if response.status_code != 302 or response["Location"] != self.next_url:
            raise SystemExit(f"step save failed: {response.status_code} {response.get('Location')}")
        self.version += 1
        return elapsed

    def baseline_post(self) -> float:
        self.saves += 1
        started = time.perf_counter()
        response = self.client.post(self.baseline_url, {"legal_name": f"Importer {self.saves} LLC"})
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"baseline save failed: {response.status_code}")
        return elapsed

    def check_saved(self) -> None:
        """Every step POST must have written: each save bumps the version once."""
        from certification.models import Application

        stored = Application.objects.get(pk=self.application.pk).version
        if stored != self.version:
            raise SystemExit(f"expected version {self.version} after the saves, found {stored}")


def run(*, rounds: int, warmup: int, show_queries: bool, profile: int) -> int:
    from django.test.utils import override_settings

    # The query budget is stated once, in the test that pins it and says what each query is.
    from tests.certification.test_step_save_queries import STEP_SAVE_QUERIES

    with override_settings(ROOT_URLCONF="bench.baseline"):
        bench = Bench()
        for _ in range(warmup):
            bench.baseline_post()
            bench.step_post()
        baseline, step = [], []
        for index in range(rounds):
            # Alternate which goes first, so neither always runs after the other's garbage.
            if index % 2:
                step.append(bench.step_post())
                baseline.append(bench.baseline_post())
            else:
                baseline.append(bench.baseline_post())
                step.append(bench.step_post())
        step_queries = common.queries(bench.step_post)
        baseline_queries = common.queries(bench.baseline_post)
        if profile:
            common.profile("baseline", bench.baseline_post, profile)
            common.profile("step", bench.step_post, profile)
        bench.check_saved()

    if show_queries:
        for name, queries in (("baseline", baseline_queries), ("step", step_queries)):
            print(f"--- {name} queries", file=sys.stderr)
            for number, sql in enumerate(queries, 1):
                print(f"{number:3}  {sql}", file=sys.stderr)
    host = common.machine()
    ratio = statistics.median(step) / statistics.median(baseline)
    print(
        f"{rounds} rounds after {warmup} warm-up; {host['cpu']} × {host['cores']}, "
        f"Python {host['python']}, {host['database']}",
        file=sys.stderr,
    )
    for name, samples, queries in (
        ("baseline", baseline, baseline_queries),
        ("step", step, step_queries),
    ):
        print(
            f"{name:>8}: median {statistics.median(samples) * MS:.2f} ms, "
            f"p90 {p90(samples) * MS:.2f} ms, {len(queries)} queries",
            file=sys.stderr,
        )
    print(f"ratio of medians: {ratio:.2f} (target ≤ {MAX_RATIO})", file=sys.stderr)
    # A row for the results table in docs/benchmarks.md.
    print(
        f"| {host['date']} | {host['cpu']}, {host['cores']} cores | {host['python']} "
        f"| {host['database']} | {rounds} "
        f"| {statistics.median(baseline) * MS:.2f} / {p90(baseline) * MS:.2f} "
        f"| {statistics.median(step) * MS:.2f} / {p90(step) * MS:.2f} "
        f"| {ratio:.2f} | {len(step_queries)} |"
    )
    failed = False
    if ratio > MAX_RATIO:
        print(f"FAIL: the step save takes {ratio:.2f}× the baseline's time", file=sys.stderr)
        failed = True
    if len(step_queries) > STEP_SAVE_QUERIES:
        print(
            f"FAIL: the step save ran {len(step_queries)} queries; its budget is "
            f"{STEP_SAVE_QUERIES}",
            file=sys.stderr,
        )
        failed = True
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.step_save", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds (default 200)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed rounds first (default 30)")
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one save of each"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="after timing, profile N more saves of each: time in SQL, then cProfile",
    )
    args = parser.parse_args(argv)
    if args.rounds < 10:
        parser.error("--rounds must be at least 10")

    return common.in_throwaway_database(
        lambda: run(
            rounds=args.rounds,
            warmup=args.warmup,
            show_queries=args.show_queries,
            profile=args.profile,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
