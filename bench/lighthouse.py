"""Lighthouse (mobile) on nine pages of the service, served as production serves them.

`make lighthouse`, or `python -m bench.lighthouse [--runs N] [--keep-reports]`. It:
1. makes a throwaway PostgreSQL database (beside DATABASE_URL's, else on the local server), migrates
   it and seeds the demo (`seed_demo`, `seed_demo_participants`: they need DEBUG on, so only they
   run with it);
2. collects the static files (hashed names, Brotli and gzip copies) into a temporary directory and
   starts gunicorn on 127.0.0.1 with DEBUG off, WhiteNoise serving the collected files;
3. signs each page's persona in through the sign-in pages in Chromium (staff with a TOTP code from
   the demo secret) and hands Lighthouse the session cookie as a header;
4. runs Lighthouse with Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless,
   in its default mobile mode (a mid-range phone on a slow 4G connection, simulated), N times a page,
   and prints the median scores as the Markdown table docs/benchmarks.md keeps, with what each page
   still fails. Exits 1 when a page misses a target.

Not production in two ways, on purpose: plain HTTP on 127.0.0.1 (production's TLS settings would
refuse to send the session cookie over it) and the embedded cache and tasks (no Redis needed).
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8101"))
BASE_URL = f"http://127.0.0.1:{PORT}"
REPORTS = BASE_DIR / "test-artifacts" / "lighthouse"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "Demo-Recordkeeping-2026"  # noqa: S105 - the demo accounts' (README.md)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 95}

# Personas: the demo accounts of README.md, with the staff's TOTP secrets.
OWNER = ("owner@acme-imports.example", None)
REVIEWER = ("reviewer@cbp.example.gov", "JBSWY3DPEHPK3PXPJBSWY3DP")
SUPERVISOR = ("supervisor@cbp.example.gov", "KRSXG5CTMVRXEZLUKRSXG5CT")


def pages(ids: dict[str, int]) -> list[tuple[str, str, tuple[str, str | None] | None]]:
    """(name, path, persona) of the nine pages; ids are the demo applications to show."""
    draft, in_review, recommended = ids["draft"], ids["in_review"], ids["recommended"]
    return [
        ("Start", "/", None),
        ("Sign in", "/accounts/login/", None),
        ("Dashboard", "/dashboard/", OWNER),
        ("Wizard step (organization)", f"/applications/{draft}/organization/", OWNER),
        ("Check your answers", f"/applications/{draft}/check-your-answers/", OWNER),
        ("Application detail", f"/applications/{draft}/", OWNER),
        ("Review queue", "/staff/queue/", REVIEWER),
        ("Review workspace", f"/staff/applications/{in_review}/", REVIEWER),
        ("Sign-off", f"/staff/applications/{recommended}/sign-off", SUPERVISOR),
    ]


def environment(database_url: str, static_root: str, *, debug: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The embedded cache and eager tasks: a run needs PostgreSQL and nothing else.
        if key not in {"CACHE_URL", "CELERY_BROKER_URL", "DJANGO_ENV"}
    }
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true" if debug else "false",
        "DJANGO_STATIC_HASHED": "true",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return env


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Our own programs with our own arguments."""
    return subprocess.run(command, **kwargs)  # noqa: S603


def manage(*args: str, env: dict[str, str]) -> None:
    # Quiet: the seeding prints the demo's emails.
    run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def throwaway_database() -> tuple[str, str]:
    """(the throwaway database's URL, its server's maintenance URL); made empty."""
    import psycopg

    server = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    maintenance = urlunsplit(server._replace(path="/postgres"))
    name = "rkcp_lighthouse"
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(server._replace(path=f"/{name}")), maintenance


def drop_database(maintenance: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_application_ids(env: dict[str, str]) -> dict[str, int]:
    """The demo's draft (Acme's), an application in review by the demo reviewer, and one
    recommended for the supervisor's sign-off."""
    code = (
        "import json; from certification.models import Application as A; "
        "print(json.dumps({"
        "'draft': A.objects.get(organisation__legal_name='Acme Imports LLC', status='draft').pk, "
        "'in_review': A.objects.filter(status='in_review', "
        "assigned_reviewer__email='reviewer@cbp.example.gov').order_by('pk').first().pk, "
        "'recommended': A.objects.filter(status='recommended').order_by('pk').first().pk}))"
    )
    out = run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def session_cookies(personas: set[tuple[str, str | None]]) -> dict[tuple[str, str | None], str]:
    """Each persona signed in through the sign-in pages, as a Cookie header's value."""
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from tests.totp import fresh_totp_code

    cookies = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for email, secret in sorted(personas):
            context = browser.new_context(base_url=BASE_URL)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_login", email)
            page.fill("#id_password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            if secret:
                page.fill("input[name=code]", fresh_totp_code(secret))
                page.click("main button[type=submit] >> nth=0")
                page.wait_for_load_state()
            if "/accounts/" in page.url:
                raise RuntimeError(f"{email} could not sign in: still at {page.url}")
            cookies[(email, secret)] = "; ".join(
                f"{cookie['name']}={cookie['value']}" for cookie in context.cookies()
            )
            context.close()
        browser.close()
    return cookies


def lighthouse(url: str, cookie: str | None, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    # Lighthouse now and then fails to record the trace (NO_NAVSTART) on a busy machine: try again.
    for attempt in range(3):
        if run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}).returncode == 0:
            return json.loads(report.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt + 1})", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed three times on {url}")


def failing_audits(result: dict) -> list[str]:
    """What keeps a category below 100: failed audits that count towards its score."""
    found = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or f"score {audit['score']:.2f}"
                found.append(f"{category}: {audit['title']} ({shown})")
    return found


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0))
    version = run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    chromium = run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return (
        f"{time.strftime('%Y-%m-%d')}, {cpu}, {cores} cores, Lighthouse {version}, "
        f"{chromium.strip()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page (median)")
    parser.add_argument("--keep-reports", action="store_true", help=f"keep JSON in {REPORTS}")
    args = parser.parse_args()
    for needed in (LIGHTHOUSE, Path(CHROMIUM)):
        if not needed.exists():
            print(f"{needed} is missing (make install; Chromium from Debian)", file=sys.stderr)
            return 2

    database_url, maintenance = throwaway_database()
    static_root = tempfile.mkdtemp(prefix="rkcp-lighthouse-static-")
    reports = Path(tempfile.mkdtemp(prefix="rkcp-lighthouse-"))
    seeding = environment(database_url, static_root, debug=True)
    serving = environment(database_url, static_root, debug=False)
    server = None
    try:
        print("Migrating and seeding the demo…", file=sys.stderr)
        manage("migrate", "--noinput", "-v0", env=seeding)
        manage("seed_demo", env=seeding)
        manage("seed_demo_participants", env=seeding)
        manage("collectstatic", "--noinput", "-v0", env=serving)
        ids = demo_application_ids(serving)
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{PORT}", "--workers=2"],
            cwd=BASE_DIR,
            env=serving,
            start_new_session=True,
        )
        wait_for(f"{BASE_URL}/healthz")
        os.environ.update(serving)  # the signing-in reads the throwaway database's settings
        chosen = pages(ids)
        cookies = session_cookies({persona for _, _, persona in chosen if persona})

        rows, problems, met = [], {}, True
        for name, path, persona in chosen:
            scores: dict[str, list[float]] = {category: [] for category in CATEGORIES}
            for run in range(args.runs):
                report = reports / f"{name.split()[0].lower()}-{run}.json"
                result = lighthouse(BASE_URL + path, cookies.get(persona), report)
                if result["finalDisplayedUrl"] != BASE_URL + path:
                    raise RuntimeError(f"{path} ended at {result['finalDisplayedUrl']}")
                for category in CATEGORIES:
                    scores[category].append(result["categories"][category]["score"] * 100)
                problems[name] = failing_audits(result)
            median = {category: statistics.median(scores[category]) for category in CATEGORIES}
            met &= all(median[category] >= TARGETS[category] for category in CATEGORIES)
            rows.append((name, median))
            print(f"{name}: {median}", file=sys.stderr)
        print(f"\nMachine: {machine()}; {args.runs} runs a page, medians.\n")
        print("| page | performance | accessibility | best practices | SEO |")
        print("|---|---|---|---|---|")
        for name, median in rows:
            print(f"| {name} | " + " | ".join(f"{median[c]:.0f}" for c in CATEGORIES) + " |")
        for name, found in problems.items():
            if found:
                print(f"\n{name}, audits short of full marks in the last run:", *found, sep="\n- ")
        if args.keep_reports:
            shutil.rmtree(REPORTS, ignore_errors=True)
            shutil.copytree(reports, REPORTS)
        print("\nTargets " + ("met." if met else "NOT met: ") + json.dumps(TARGETS))
        return 0 if met else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(reports, ignore_errors=True)
        drop_database(maintenance, database_url)


if __name__ == "__main__":
    sys.exit(main())
