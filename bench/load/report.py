"""The load test's verdict, from what the locustfile measured (pure: no Django, no network).

Every request timed between "everyone has signed in" and the end of the run is a sample of its
page; each page's 95th percentile is held to `MAX_RATIO` times the floor's (/healthz, probed all
through the same run). Signing in is counted for errors but not held to the floor: it hashes a
password on purpose. Any error (a status other than the one expected, an exception) fails the run,
and so does a letter or email the worker was given and did not finish.
"""

import json
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

FLOOR = "/healthz"
FAIR_FLOOR = "fair floor"  # bench/queue_floor.py's page, sampled too when it is there
MAX_RATIO = 4.0
NOT_HELD = ("sign in",)  # name prefixes counted for errors, not held to the floor
SIGN_OFF = "sign-off: certify"  # a decision: the worker renders its letter and sends its email


def percentile(samples: list[float], percent: int) -> float:
    """The `percent`th percentile, interpolated between the closest ranks (a single sample is its
    own percentile)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


@dataclass
class Page:
    name: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


@dataclass
class Result:
    pages: list[Page]
    floor: str
    seconds: float
    errors: list[str]
    signed_in: int
    # What the worker was given during the run: letters by status, emails asked for and sent.
    letters: dict[str, int] = field(default_factory=dict)
    emails_asked: int = 0
    emails_sent: int = 0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # Each request as (seconds into the window it started, ms, name): when the slowest came.
    timeline: list[tuple[float, float, str]] = field(default_factory=list)

    @classmethod
    def read(cls, *, window: Path, floor: str, work: dict, load) -> "Result":
        measured = json.loads(window.read_text()) if window.exists() else {}
        start, end = measured.get("window") or (None, None)
        return cls(
            pages=[Page(name, samples) for name, samples in measured.get("samples", {}).items()],
            floor=floor,
            seconds=(end - start) if start and end else 0.0,
            errors=measured.get("errors", ["the locustfile wrote no measurements"]),
            signed_in=measured.get("signed_in", 0),
            letters=work.get("letters", {}),
            emails_asked=work.get("emails_asked", 0),
            emails_sent=work.get("emails_sent", 0),
            load=tuple(load),
            timeline=[
                (ended - ms / 1000 - start, ms, name)
                for ended, ms, name in measured.get("timeline", [])
            ]
            if start
            else [],
        )

    def slowest(self, count: int = 10) -> list[str]:
        """The slowest requests, each with when in the window it started: a run's p95 is a
        handful of them, and whether they fall together (a burst, a letter rendering) or apart
        says what they wait for."""
        ranked = sorted(self.timeline, key=lambda each: -each[1])[:count]
        return [f"{ms:7.1f} ms at {at:5.1f} s  {name}" for at, ms, name in ranked]

    def page(self, name: str) -> Page | None:
        return next((page for page in self.pages if page.name == name), None)

    @property
    def floor_page(self) -> Page | None:
        return self.page(self.floor)

    def held(self, page: Page) -> bool:
        return page.name not in {FLOOR, FAIR_FLOOR} and not page.name.startswith(NOT_HELD)

    def ratio(self, page: Page, floor_name: str | None = None) -> float | None:
        floor = self.page(floor_name or self.floor)
        return page.p95 / floor.p95 if floor and floor.p95 > 0 else None

    @property
    def requests_per_second(self) -> float:
        return sum(len(page.samples) for page in self.pages) / self.seconds if self.seconds else 0

    def problems(self) -> list[str]:
        found = [f"error: {error}" for error in self.errors]
        if not self.seconds:
            found.append("nothing was measured: not everyone signed in")
        if self.floor_page is None:
            found.append(f"the floor ({self.floor}) was not measured")
        for page in self.pages:
            ratio = self.ratio(page)
            if self.held(page) and ratio is not None and ratio > MAX_RATIO:
                found.append(
                    f"{page.name}: p95 {page.p95:.0f} ms is {ratio:.1f}x the floor's "
                    f"{self.floor_page.p95:.1f} ms (at most {MAX_RATIO:g}x)"
                )
        signed_off = any(page.name == SIGN_OFF for page in self.pages)
        if signed_off and not self.letters:
            found.append("decisions were signed off but the worker was given no letter")
        unfinished = {status: n for status, n in self.letters.items() if status != "ready"}
        if unfinished:
            found.append(f"letters the worker did not finish: {unfinished}")
        if self.emails_sent < self.emails_asked:
            found.append(f"emails sent {self.emails_sent} of {self.emails_asked}")
        return found


def table(result: Result, *, users: int, applications: int) -> str:
    """The Markdown that docs/benchmarks.md keeps, with the machine and the run's figures."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    one, five, fifteen = result.load
    letters = sum(result.letters.values())
    lines = [
        f"{time.strftime('%Y-%m-%d')}, {cpu_model()}, {cores} cores; {users} simulated people "
        f"({result.signed_in} signed in), {result.seconds:.0f} s measured, "
        f"{applications:,} bulk applications.",
        "",
        f"| request | count | median ms | p95 ms | p95 / {FLOOR} p95 | p95 / {FAIR_FLOOR} p95 |",
        "|---|---|---|---|---|---|",
    ]
    for page in sorted(result.pages, key=lambda page: (result.held(page), page.name)):
        shown = []
        for floor in (FLOOR, FAIR_FLOOR):
            ratio = result.ratio(page, floor)
            if page.name in {FLOOR, FAIR_FLOOR}:
                shown.append("floor" if page.name == floor else f"{ratio:.1f}×" if ratio else "–")
            elif not result.held(page):
                shown.append("not held (hashes a password)")
            else:
                shown.append("–" if ratio is None else f"{ratio:.1f}×")
        lines.append(
            f"| {page.name} | {len(page.samples)} | {page.median:.1f} | {page.p95:.1f} | "
            + " | ".join(shown)
            + " |"
        )
    lines += [
        "",
        f"Held to: {MAX_RATIO:g}× the p95 of {result.floor}. "
        f"Requests per second: {result.requests_per_second:.1f}; errors: {len(result.errors)}; "
        f"load average at the end: {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min).",
        f"Worker: {result.letters.get('ready', 0)} of {letters} letters rendered, "
        f"{result.emails_sent} of {result.emails_asked} emails sent.",
    ]
    if slowest := result.slowest():
        lines += ["", "The slowest requests, and when they started:", "```", *slowest, "```"]
    return "\n".join(lines)
