"""Benchmark: decision letters, rendered in-process against bare WeasyPrint and by a real worker.

A letter through the service against the same HTML through bare WeasyPrint; a real Celery worker's
throughput, decision-to-ready time and memory.

    python -m bench.letters [--rounds 40] [--warmup 5] [--letters 200] [--memory-letters 500]
                            [--skip-worker] [--skip-unbounded]

1. **The service against bare WeasyPrint**, in this process: `letter_pdf.render` of a denial (the
   default template, three reasons) against `weasyprint.HTML(string=…).write_pdf()` of the very HTML
   the service hands WeasyPrint (captured from one render), with WeasyPrint's default URL fetcher and
   no PDF variant; and against the same with `pdf_variant="pdf/a-3a"`, to show where the difference
   lies. A fourth timing is the service with WeasyPrint left out (filling the template, Markdown,
   nh3 and the letter's HTML). Interleaved round after round, as in `bench.queue`; what counts is the service's median
   over bare WeasyPrint's. Exits 1 above `MAX_RENDER_RATIO`.
2. **Throughput**: a real worker (`celery worker --pool=prefork --concurrency=2`) against the
   configured Redis and the bench's PostgreSQL database, on a queue of its own. A supervisor decides
   `--letters` applications (a third denied) one after another through `workflow.application_decide`,
   as fast as this process can; each decision asks for its letter, which the worker renders. Reported:
   letters per second from the first decision to the last ready letter, and the median and 95th
   percentile of `ready_at - created_at` (decision to ready), and of the render alone.
3. **Memory**: the resident memory (VmRSS) of the worker's pool processes, summed, after 10 letters
   and after `--memory-letters`, with `--max-tasks-per-child` as the settings configure it, and again
   with a fresh worker where no child is ever replaced (unless `--skip-unbounded`).

Parts 2 and 3 need `CELERY_BROKER_URL` and PostgreSQL (the worker reads the bench's database from
another process); without either they are skipped with a message, and only an `RKCP_REQUIRE_SERVICES=1`
run fails for it. The database is chosen as for `bench.step_save`, and is likewise a throwaway test
database; the worker's files go to a temporary directory. See docs/benchmarks.md.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

from kombu import Exchange, Queue

from bench import common
from bench.common import MS

# From the issue: a letter through the service within 1.3× of bare WeasyPrint on the same HTML.
MAX_RENDER_RATIO = 1.3
BASE_DIR = Path(__file__).resolve().parent.parent

SERVICE = "service"
BARE = "bare"
BARE_PDFA = "bare, PDF/A-3a"
HTML_ONLY = "service without WeasyPrint"

WARM = 10  # letters before the first memory reading
SETTLE_SECONDS = 2  # after the last letter: a child past its task limit is replaced by then
# More tasks per child than any run gives one: children are never replaced.
UNBOUNDED = 1_000_000
REASONS = [
    {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "iii",
        "text": "No procedure for producing records to CBP on demand was shown",
    },
    {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "v",
        "text": "The record maintenance procedure does not say who keeps the originals, or where",
    },
    {
        "ground": "163.13(b)(1)(iii)",
        "demonstration": "vi",
        "text": "Two recent penalty cases show that variances went unreported",
    },
]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


# --- 1. The service against bare WeasyPrint --------------------------------------------------------


class Renders:
    """A denial's template and values, the HTML the service makes of them, and the four renders."""

    def __init__(self) -> None:
        from django.contrib.staticfiles import finders

        from certification.letters import content as letters
        from certification.letters import pdf as letter_pdf
        from certification.models import LetterKind, LetterTemplate

        template = LetterTemplate.objects.filter(kind=LetterKind.DENIAL).latest()
        self.arguments = {
            "subject": template.subject,
            "body": template.body,
            "context": letters.sample_context(LetterKind.DENIAL)
            | {
                "reasons": [
                    f"{r['text']} (19 CFR {r['ground']}; demonstration ({r['demonstration']}))"
                    for r in REASONS
                ]
            },
        }
        # The HTML exactly as the service hands it to WeasyPrint, from one render.
        with mock.patch.object(letter_pdf, "render_pdf", wraps=letter_pdf.render_pdf) as render_pdf:
            self.service_pdf = letter_pdf.render(**self.arguments)[0]
        self.html = render_pdf.call_args.args[0]
        # The stylesheet and fonts are absolute file: URLs, so the base URL changes nothing; it is
        # what a caller of bare WeasyPrint would give.
        self.base_url = Path(finders.find("letters/letter.css")).parent.as_uri() + "/"
        self.letter_pdf = letter_pdf

    def service(self) -> bytes:
        return self.letter_pdf.render(**self.arguments)[0]

    def bare(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=self.html, base_url=self.base_url).write_pdf()

    def bare_pdfa(self) -> bytes:
        from weasyprint import HTML

        return HTML(string=self.html, base_url=self.base_url).write_pdf(pdf_variant="pdf/a-3a")

    def html_only(self) -> bytes:
        with mock.patch.object(self.letter_pdf, "render_pdf", return_value=b""):
            return self.letter_pdf.render(**self.arguments)[0]

    def timed(self) -> dict[str, Callable[[], bytes]]:
        return {
            SERVICE: self.service,
            BARE: self.bare,
            BARE_PDFA: self.bare_pdfa,
            HTML_ONLY: self.html_only,
        }


def _embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds: bare WeasyPrint must load the same ones to compare."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def compare_renders(*, rounds: int, warmup: int) -> bool:
    """Part 1. Prints its summary and a results row; True when the target is met."""
    import weasyprint

    renders = Renders()
    timed = renders.timed()
    expected = _embedded_fonts(renders.service_pdf)
    for name in (BARE, BARE_PDFA):
        fonts = _embedded_fonts(timed[name]())
        if not expected or fonts != expected:
            raise SystemExit(f"{name} embeds {sorted(fonts)}, the service {sorted(expected)}")
    load = _load()
    for _ in range(warmup):
        for render in timed.values():
            render()
    samples: dict[str, list[float]] = {name: [] for name in timed}
    names = list(timed)
    for index in range(rounds):
        # Rotate which goes first, so none always runs after another's garbage.
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            timed[name]()
            samples[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(times) for name, times in samples.items()}
    ratio = medians[SERVICE] / medians[BARE]
    ratio_pdfa = medians[SERVICE] / medians[BARE_PDFA]

    host = common.machine()
    print(
        f"rendering a denial: {rounds} rounds after {warmup} warm-up; {host['cpu']} × "
        f"{host['cores']}, Python {host['python']}, WeasyPrint {weasyprint.__version__}; "
        f"load average {load}",
        file=sys.stderr,
    )
    for name, times in samples.items():
        print(
            f"{name:>28}: median {medians[name] * MS:.1f} ms, p90 {common.p90(times) * MS:.1f} ms",
            file=sys.stderr,
        )
    print(
        f"service / bare: {ratio:.2f} (target ≤ {MAX_RENDER_RATIO}); "
        f"service / bare with PDF/A-3a: {ratio_pdfa:.2f}",
        file=sys.stderr,
    )
    cells = " | ".join(
        f"{medians[name] * MS:.1f} / {common.p90(samples[name]) * MS:.1f}" for name in timed
    )
    print(
        f"| {host['date']} | {host['cpu']}, {host['cores']} cores | {host['python']} "
        f"| {weasyprint.__version__} | {load} | {rounds} | {cells} | {ratio:.2f} "
        f"| {ratio_pdfa:.2f} |"
    )
    if ratio > MAX_RENDER_RATIO:
        print(
            f"FAIL: a letter through the service takes {ratio:.2f}× bare WeasyPrint's time",
            file=sys.stderr,
        )
        return False
    return True


# --- 2 and 3. A real worker ------------------------------------------------------------------------


def _missing_services() -> str:
    """What the worker parts need and do not have, or "" when all is there."""
    from django.conf import settings
    from django.db import connection

    from config.celery import app

    if connection.vendor != "postgresql":
        return "PostgreSQL (the worker reads the bench's database from its own processes)"
    if not settings.CELERY_BROKER_URL:
        return "a broker: CELERY_BROKER_URL is not set"
    try:
        with app.connection_for_write() as connection_:
            connection_.ensure_connection(max_retries=1, interval_start=0, timeout=3)
    except Exception as error:  # whatever the reason, the broker is not there to use
        return f"a broker: {settings.CELERY_BROKER_URL} does not answer ({error})"
    return ""


def _worker_database_url() -> str:
    """The bench's throwaway database, for the worker: DATABASE_URL with the test database's name."""
    from django.db import connection

    database = connection.settings_dict["NAME"]
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}"))


def _rss(pid: int) -> int:
    """A process's resident memory in bytes (0 if it has just exited)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc (without psutil, which we do not need)."""
    children = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # After the command's name (in parentheses, and it may contain any): state, parent id.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


class Worker:
    """A Celery worker with two prefork children, consuming only the bench's own queue. Stop it
    (`stop`) before the database is dropped: PostgreSQL refuses while its children are connected."""

    def __init__(self, *, queue: str, media: str, max_tasks_per_child: int | None) -> None:
        from config.celery import app
        from tests.worker import Worker as Running

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _worker_database_url(),
            "PRIVATE_MEDIA_ROOT": media,
            "DJANGO_DEBUG": "false",  # as in production, and as this process runs
        }
        if max_tasks_per_child is not None:
            env["RKCP_WORKER_MAX_TASKS_PER_CHILD"] = str(max_tasks_per_child)
        hostname = f"{queue}@localhost"
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                # --quiet: no banner; warnings and errors still go to standard error.
                *(sys.executable, "-m", "celery", "--quiet", "-A", "config", "worker"),
                *("--pool=prefork", "--concurrency=2", f"--queues={queue}"),
                *("--loglevel=WARNING", f"--hostname={hostname}"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=sys.stderr,  # standard output is for the results rows
        )
        self.process = process
        self._running = Running(process, env)
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the Celery worker did not answer a ping within 30 s")

    def memory(self) -> tuple[int, int, int]:
        """The pool's resident memory summed, the number of pool processes, and the main
        process's resident memory, once any child past its task limit has been replaced."""
        time.sleep(SETTLE_SECONDS)
        children = _children(self.process.pid)
        return sum(_rss(pid) for pid in children), len(children), _rss(self.process.pid)

    def stop(self) -> None:
        self._running.stop()  # as the tests stop theirs: terminate, and kill after 20 s


class Decisions:
    """Applications recommended by a reviewer, waiting for a supervisor's decision."""

    def __init__(self, count: int) -> None:
        from django.core.management import call_command

        from certification import workflow
        from certification.models import Application, ApplicationStatus
        from recordkeepers.models import StaffRole
        from tests.factories import staff_user

        out = io.StringIO()
        call_command("seed_scale", applications=count, force=True, stdout=out)
        print(out.getvalue().strip(), file=sys.stderr)
        self.reviewer = reviewer = staff_user(
            StaffRole.REVIEWER, email="reviewer@bench.example.gov"
        )
        self.supervisor = staff_user(StaffRole.SUPERVISOR, email="supervisor@bench.example.gov")
        # Load data, as seed_scale writes it: every application in review with one reviewer. The
        # recommendation then goes through the workflow, so the decision finds what it signs off.
        Application.objects.update(status=ApplicationStatus.IN_REVIEW, assigned_reviewer=reviewer)
        started = time.perf_counter()
        self.waiting = list(Application.objects.select_related("organisation").order_by("pk"))
        for index, application in enumerate(self.waiting):
            workflow.application_recommend(
                application=application, actor=reviewer, **self._outcome(index)
            )
        print(
            f"{count} applications recommended in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        self.made = 0

    @staticmethod
    def _outcome(index: int) -> dict:
        # A third denied, with one to three reasons.
        if index % 3 == 0:
            return {"outcome": "denied", "reasons": REASONS[: 1 + index % len(REASONS)]}
        return {"outcome": "certified"}

    def decide(self, count: int) -> tuple[list[int], float]:
        """`count` decisions, one transaction each, as fast as they come: their letters' ids, and
        the seconds it took."""
        from certification import workflow
        from certification.models import Letter

        started = time.perf_counter()
        decisions = []
        for index in range(self.made, self.made + count):
            decisions.append(
                workflow.application_decide(
                    application=self.waiting[index],
                    actor=self.supervisor,
                    recommended_by=self.reviewer,
                    **self._outcome(index),
                ).pk
            )
        self.made += count
        elapsed = time.perf_counter() - started
        letters = Letter.objects.filter(decision__in=decisions).values_list("pk", flat=True)
        return list(letters), elapsed


def _wait_ready(letter_ids: list[int], worker: Worker) -> None:
    from django.db.models import Count

    from certification.models import Letter, LetterStatus

    deadline = time.monotonic() + 60 + 2 * len(letter_ids)
    letters = Letter.objects.filter(pk__in=letter_ids)
    while True:
        counts = dict(letters.values_list("status").annotate(Count("pk")).order_by())
        if counts.get(LetterStatus.READY, 0) == len(letter_ids):
            return
        stuck = counts.get(LetterStatus.FAILED) or worker.process.poll() is not None
        if stuck or time.monotonic() > deadline:
            errors = set(letters.exclude(last_error="").values_list("last_error", flat=True)[:5])
            raise SystemExit(f"letters not ready: {counts}; errors: {errors or 'none'}")
        time.sleep(0.2)


@contextmanager
def _worker(queue: str, *, max_tasks_per_child: int | None) -> Iterator[Worker]:
    with tempfile.TemporaryDirectory(prefix="rkcp-bench-letters-") as media:
        worker = Worker(queue=queue, media=media, max_tasks_per_child=max_tasks_per_child)
        try:
            yield worker
        finally:
            worker.stop()


def _timings(letter_ids: list[int]) -> dict[str, float]:
    from certification.models import Letter

    rows = list(
        Letter.objects.filter(pk__in=letter_ids).values_list(
            "created_at", "rendering_started_at", "ready_at"
        )
    )
    waits = [(ready - created).total_seconds() for created, _, ready in rows]
    renders = [(ready - started).total_seconds() for _, started, ready in rows]
    span = (max(ready for *_, ready in rows) - min(created for created, *_ in rows)).total_seconds()
    return {
        "throughput": len(rows) / span,
        "span": span,
        "wait median": statistics.median(waits),
        "wait p95": p95(waits),
        "render median": statistics.median(renders),
        "render p95": p95(renders),
    }


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def measure_worker(*, letters: int, memory_letters: int, unbounded: bool) -> None:
    """Parts 2 and 3. Prints their summaries and results rows."""
    from django.conf import settings

    from config.celery import app

    queue = f"bench-letters-{os.getpid()}"
    # Only this bench's worker takes its letters, and it takes no one else's tasks.
    app.conf.task_routes = {"certification.tasks.render_letter": {"queue": queue}}
    decisions = Decisions(memory_letters * (2 if unbounded else 1))
    host = common.machine()
    configured = settings.CELERY_WORKER_MAX_TASKS_PER_CHILD
    runs = [(f"{configured} (settings)", None)] + ([("off", UNBOUNDED)] if unbounded else [])
    memory_rows = []
    try:
        for label, max_tasks_per_child in runs:
            with _worker(queue, max_tasks_per_child=max_tasks_per_child) as worker:
                first, _ = decisions.decide(WARM)
                _wait_ready(first, worker)
                warm = worker.memory()
                done = WARM
                if max_tasks_per_child is None:
                    load = _load()
                    burst, made_in = decisions.decide(letters)
                    _wait_ready(burst, worker)
                    _report_throughput(host, letters, made_in, _timings(burst), load)
                    done += letters
                rest, _ = decisions.decide(memory_letters - done)
                _wait_ready(rest, worker)
                memory_rows.append((label, warm, worker.memory()))
    finally:
        # Celery made the queue with its exchange and binding; the broker keeps them until deleted.
        with app.connection_for_write() as connection:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()
            bound.delete()
    for label, (warm, warm_children, _), (full, full_children, main) in memory_rows:
        print(
            f"max tasks per child {label}: pool of {warm_children} after {WARM} letters "
            f"{_mb(warm)}, of {full_children} after {memory_letters} {_mb(full)} "
            f"(ratio {full / warm:.2f}); main process {_mb(main)}",
            file=sys.stderr,
        )
    for label, (warm, *_), (full, _, main) in memory_rows:
        print(
            f"| {host['date']} | {host['cpu']}, {host['cores']} cores | {label} | {_mb(warm)} "
            f"| {memory_letters} | {_mb(full)} | {full / warm:.2f} | {_mb(main)} |"
        )


def _report_throughput(host: dict, letters: int, made_in: float, timings: dict, load: str) -> None:
    print(
        f"{letters} letters through 2 worker processes: {letters} decisions made in {made_in:.1f} s; "
        f"last letter ready {timings['span']:.1f} s after the first decision: "
        f"{timings['throughput']:.1f} letters/s; decision to ready median "
        f"{timings['wait median']:.1f} s, p95 {timings['wait p95']:.1f} s; render alone median "
        f"{timings['render median'] * MS:.0f} ms, p95 {timings['render p95'] * MS:.0f} ms; "
        f"load average {load}",
        file=sys.stderr,
    )
    print(
        f"| {host['date']} | {host['cpu']}, {host['cores']} cores | {host['database']} | {load} "
        f"| {letters} | {made_in:.1f} | {timings['span']:.1f} | {timings['throughput']:.1f} "
        f"| {timings['wait median']:.1f} / {timings['wait p95']:.1f} "
        f"| {timings['render median'] * MS:.0f} / {timings['render p95'] * MS:.0f} |"
    )


def run(
    *,
    rounds: int,
    warmup: int,
    letters: int,
    memory_letters: int,
    skip_worker: bool,
    skip_unbounded: bool,
) -> int:
    met = compare_renders(rounds=rounds, warmup=warmup)
    if skip_worker:
        print("--skip-worker: throughput and memory not measured", file=sys.stderr)
        return 0 if met else 1
    missing = _missing_services()
    if missing:
        required = os.environ.get("RKCP_REQUIRE_SERVICES") == "1"
        print(
            f"{'FAIL' if required else 'SKIPPED'}: throughput and memory need a real worker, "
            f"and {missing}",
            file=sys.stderr,
        )
        return 0 if met and not required else 1
    measure_worker(letters=letters, memory_letters=memory_letters, unbounded=not skip_unbounded)
    return 0 if met else 1


def _at_least(minimum: int) -> Callable[[str], int]:
    def number(text: str) -> int:
        if int(text) < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return int(text)

    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.letters", description=__doc__.split("\n")[0]
    )
    for option, default, minimum, meaning in (
        ("--rounds", 40, 10, "timed rounds of the four renders"),
        ("--warmup", 5, 0, "untimed rounds first"),
        ("--letters", 200, 20, "letters for the throughput"),
        ("--memory-letters", 500, WARM + 20, "letters before the second memory reading"),
    ):
        parser.add_argument(
            option, type=_at_least(minimum), default=default, help=f"{meaning} (default {default})"
        )
    parser.add_argument(
        "--skip-worker", action="store_true", help="only the in-process render comparison"
    )
    parser.add_argument(
        "--skip-unbounded", action="store_true", help="no second worker without a task limit"
    )
    args = parser.parse_args(argv)
    if args.memory_letters < WARM + args.letters:
        parser.error(f"--memory-letters must be at least {WARM} more than --letters")
    return common.in_throwaway_database(lambda: run(**vars(args)))


if __name__ == "__main__":
    sys.exit(main())
