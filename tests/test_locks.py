"""The two locks: the full one (`requirements.lock`: the service, tests, lint and benchmarks) that
development and CI install, and the production image's (`requirements.prod.lock`: the service
alone). `make lock` writes both, the second held to the first's versions; these tests fail when one
is changed without the other, so the image never runs a version CI did not test."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s\\]+)")
HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")


def _name(requirement: str) -> str:
    """A requirement's project name, normalised as PEP 503 does."""
    bare = re.split(r"[\[<>=~!; ]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _lock(file: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Each pinned package of a lock: (version, hashes)."""
    pins: dict[str, tuple[str, set[str]]] = {}
    current = None
    for line in (ROOT / file).read_text().splitlines():
        if match := PIN.match(line):
            current = _name(match.group(1))
            pins[current] = (match.group(2), set())
        elif current is not None:
            pins[current][1].update(HASH.findall(line))
    return {name: (version, frozenset(hashes)) for name, (version, hashes) in pins.items()}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_production_pins_the_same_versions_and_hashes_as_the_full_lock():
    full, production = _lock("requirements.lock"), _lock("requirements.prod.lock")
    assert production, "the production lock pins nothing"
    differing = {
        name: (pin, full.get(name)) for name, pin in production.items() if full.get(name) != pin
    }
    assert differing == {}


def test_production_holds_every_dependency_of_the_service():
    production = _lock("requirements.prod.lock")
    missing = {_name(each) for each in _project()["project"]["dependencies"]} - production.keys()
    assert missing == set()


def test_production_holds_no_test_lint_or_benchmark_tool():
    production = _lock("requirements.prod.lock")
    runtime = {_name(each) for each in _project()["project"]["dependencies"]}
    tools = {_name(each) for each in _project()["dependency-groups"]["dev"]} - runtime
    assert {"pytest", "moto", "locust", "playwright"} <= tools  # the parsing found the group
    assert tools & production.keys() == set()


def test_the_image_installs_the_production_lock_by_hash():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN pip install --require-hashes -r requirements.prod.lock" in dockerfile
    assert "requirements.lock" not in dockerfile.replace("requirements.prod.lock", "")
