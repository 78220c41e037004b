"""The dependency locks agree with the direct requirements, and `make` installs from them.

requirements.txt and requirements-dev.txt list the direct dependencies, pinned; `make lock`
(pip-tools) writes requirements.lock and requirements-dev.lock with everything they pull in and
the hashes of each file; the Makefile installs only from the locks, with --require-hashes.
These tests fail when someone edits a requirements file without `make lock`, edits a lock by
hand, or installs from elsewhere.
"""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ("requirements.txt", "requirements.lock")
DEV = ("requirements-dev.txt", "requirements-dev.lock")
SHA256 = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def logical_lines(path):
    """The lines of a pip requirements file, with `\\` continuations joined and comments
    and blank lines left out."""
    text = (ROOT / path).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def direct_requirements(path):
    """{name: Requirement} of a requirements file, following its `-r` includes."""
    found = {}
    for line in logical_lines(path):
        if line.startswith(("-r ", "--requirement ")):
            found.update(direct_requirements(line.split(maxsplit=1)[1]))
            continue
        assert not line.startswith("-"), f"{path}: unexpected option line {line!r}"
        requirement = Requirement(line.split(" #", 1)[0])
        found[canonicalize_name(requirement.name)] = requirement
    return found


def lock_entries(path):
    """{name: (version, line)} of a lock written by pip-compile --generate-hashes."""
    entries = {}
    for line in logical_lines(path):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s", line + " ")
        assert match, f"{path}: not an exact pin: {line[:80]!r}"
        name = canonicalize_name(match[1])
        assert name not in entries, f"{path}: {name} is listed twice"
        entries[name] = (match[2], line)
    return entries


def lock_versions(path):
    return {name: version for name, (version, _) in lock_entries(path).items()}


def exact_pin(requirement):
    (specifier,) = requirement.specifier  # one specifier, no range
    assert specifier.operator == "==", f"{requirement} is not pinned with =="
    return specifier.version


@pytest.mark.parametrize(("requirements", "lock"), [RUNTIME, DEV])
def test_every_direct_requirement_is_in_its_lock_at_its_pinned_version(requirements, lock):
    direct = direct_requirements(requirements)
    locked = lock_versions(lock)
    assert direct, f"{requirements} lists nothing"
    wrong = {
        name: (exact_pin(requirement), locked.get(name))
        for name, requirement in direct.items()
        if locked.get(name) != exact_pin(requirement)
    }
    assert not wrong, f"{requirements} vs {lock} (pinned, locked); run `make lock`: {wrong}"


@pytest.mark.parametrize("lock", [RUNTIME[1], DEV[1]])
def test_every_lock_entry_has_a_sha256_hash(lock):
    entries = lock_entries(lock)
    assert entries, f"{lock} is empty"
    unhashed = sorted(name for name, (_, line) in entries.items() if not SHA256.search(line))
    assert not unhashed, f"{lock}: entries without --hash=sha256: {unhashed}"


def test_the_dev_lock_agrees_with_the_runtime_lock_on_every_shared_version():
    runtime, dev = lock_versions(RUNTIME[1]), lock_versions(DEV[1])
    shared = runtime.keys() & dev.keys()
    assert shared, "the locks share no package: requirements-dev.txt must include the runtime"
    differ = {name: (runtime[name], dev[name]) for name in shared if runtime[name] != dev[name]}
    assert not differ, f"(runtime, dev) versions differ; run `make lock`: {differ}"


def test_the_dev_lock_holds_every_runtime_package():
    """`make test` installs requirements-dev.lock alone, so it must hold the runtime too."""
    missing = sorted(lock_versions(RUNTIME[1]).keys() - lock_versions(DEV[1]).keys())
    assert not missing, f"in requirements.lock but not requirements-dev.lock: {missing}"


def makefile_rule(target):
    """(prerequisites, recipe lines) of one rule of the Makefile."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"{target}:"):
            recipe = []
            for following in lines[index + 1 :]:
                if not following.startswith("\t"):
                    break
                recipe.append(following.strip())
            return line.split(":", 1)[1].split("|")[0].split(), recipe
    raise AssertionError(f"no rule for {target} in the Makefile")


@pytest.mark.parametrize(
    ("target", "lock"), [("$(VENV)/.deps", RUNTIME[1]), ("$(VENV)/.dev-deps", DEV[1])]
)
def test_the_makefile_installs_from_the_lock_with_require_hashes(target, lock):
    prerequisites, recipe = makefile_rule(target)
    installs = [line for line in recipe if "pip install" in line]
    assert len(installs) == 1, f"{target}: expected one pip install, found {installs}"
    options = installs[0].split()
    assert "--require-hashes" in options, installs[0]
    assert "--no-deps" in options, installs[0]
    assert options[options.index("--requirement") + 1] == lock, installs[0]
    assert lock in prerequisites, f"{target} does not reinstall when {lock} changes"


def test_the_makefile_installs_nothing_from_the_unlocked_requirement_files():
    makefile = (ROOT / "Makefile").read_text()
    assert not re.search(r"pip install[^\n]*requirements(-dev)?\.txt", makefile)
