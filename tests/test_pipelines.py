"""The CI pipelines `gongkai init` writes: valid for their hosts, and their check command works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import git, item, write_files
from gongkai_cli.setup.init import init_repository
from gongkai_cli.setup.pipelines import PIPELINES, pipeline_files

GITHUB, GITLAB = ".github/workflows/gongkai.yml", ".gitlab-ci.yml"
REMIND = ".github/workflows/gongkai-remind.yml"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
SENT_RECORD = "gongkai/remind-sent.json"
SCHEMAS = {GITHUB: "vendor.github-workflows", REMIND: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}


@pytest.fixture
def office(tmp_path) -> Path:
    return init_repository(tmp_path / "office")


def load(root: Path, path: str) -> dict:
    return yaml.load((root / path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # `on:` stays a key


def test_init_commits_both_pipelines(office):
    assert set(PIPELINES) <= set(git(office, "ls-files").split())
    assert git(office, "status", "--porcelain") == ""


def test_init_keeps_a_pipeline_the_office_already_has(tmp_path):
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / GITLAB).write_text("test:\n  script: [echo ours]\n")
    assert set(pipeline_files(tmp_path / "office")) == {GITHUB, REMIND}
    init_repository(tmp_path / "office")
    assert (tmp_path / "office" / GITLAB).read_text() == "test:\n  script: [echo ours]\n"


@pytest.mark.parametrize("path", [GITHUB, REMIND, GITLAB])
def test_pipelines_satisfy_their_hosts_schemas(office, path):
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", SCHEMAS[path], str(office / path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_checks_pull_requests_since_the_base_branch_with_annotations(office):
    workflow = load(office, GITHUB)
    steps = workflow["jobs"]["check"]["steps"]
    assert "pull_request" in workflow["on"]
    assert steps[0]["with"]["fetch-depth"] == "0"
    runs = [step.get("run", "") for step in steps]
    assert "pip install gongkai-cli" in runs
    assert 'gongkai check --since "origin/$BASE" --actor "$ACTOR" --format github' in runs
    step = next(step for step in steps if "--actor" in step.get("run", ""))
    assert step["env"] == {"BASE": "${{ github.base_ref }}", "ACTOR": "${{ github.event.pull_request.user.login }}"}


def test_gitlab_checks_merge_requests_since_the_target_branch(office):
    pipeline = load(office, GITLAB)
    job = pipeline["gongkai-check"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert pipeline[".gongkai"]["variables"]["GIT_DEPTH"] == "0"
    assert "pip install gongkai-cli" in pipeline[".gongkai"]["before_script"]
    assert 'gongkai check --since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --actor "$GITLAB_USER_LOGIN"' in job["script"]


def test_github_mails_the_reminders_every_morning_with_the_password_from_a_secret(office):
    workflow = load(office, REMIND)
    assert workflow["on"]["schedule"] == [{"cron": "30 0 * * *"}]  # every day: gongkai skips non-working days
    steps = workflow["jobs"]["remind"]["steps"]
    send = next(step for step in steps if "remind" in step.get("run", ""))
    assert send["run"] == "gongkai remind --send"
    assert send["env"] == {"GONGKAI_MAIL_PASSWORD": "${{ secrets.GONGKAI_MAIL_PASSWORD }}"}
    cached = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert cached["with"]["path"] == f".git/{SENT_RECORD}"


def test_gitlab_mails_the_reminders_on_its_schedule_only(office):
    pipeline = load(office, GITLAB)
    remind = pipeline["gongkai-remind"]
    assert remind["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert remind["script"] == ["gongkai remind --send"]
    assert remind["cache"]["paths"] == [f".git/{SENT_RECORD}"]
    assert pipeline["gongkai-check-all"]["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}


def test_the_cached_record_is_where_remind_keeps_it(office):
    from gongkai_cli.notify.sent import SentRecord

    assert SentRecord.of_repository(office).path == office / ".git" / SENT_RECORD


@pytest.fixture
def catalogued(office) -> Path:
    write_files(office, {"catalog/units.yaml": "- {id: zonghe, name: 综合处, kind: department}\n",
                         "catalog/categories.yaml": "- {id: policy-docs, name: 规范性文件类}\n"})
    git(office, "commit", "-qam", "catalog")
    return office


def pull_request(tmp_path: Path, office: Path, content: tuple[str, str]) -> Path:
    """A clone of the office with one item committed on a branch, as CI checks it out."""
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(office), str(clone))
    git(clone, "checkout", "-q", "-b", "pr")
    write_files(clone, dict([content]))
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "pr")
    return clone


def run_step(root: Path, script: str, variables: dict[str, str]) -> subprocess.CompletedProcess:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # gongkai from this environment
    return subprocess.run(["bash", "-ec", script], cwd=root, capture_output=True, text=True,
                          env={**os.environ, **variables, "PATH": path})


def github_step(tmp_path: Path, office: Path, content: tuple[str, str]) -> subprocess.CompletedProcess:
    step = next(s["run"] for s in load(office, GITHUB)["jobs"]["check"]["steps"] if "--since" in s.get("run", ""))
    return run_step(pull_request(tmp_path, office, content), step, {"BASE": "main", "ACTOR": "li-gh"})


def test_the_github_step_passes_a_valid_pull_request(tmp_path, catalogued):
    done = github_step(tmp_path, catalogued, item("2024-zonghe-a1b2"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_github_step_annotates_an_invalid_one(tmp_path, catalogued):
    path, content = item("2024-zonghe-a1b2", category="x")
    done = github_step(tmp_path, catalogued, (path, content))
    assert done.returncode == 1
    assert done.stdout.startswith(f"::error file={path},line=3,col=11,title=unknown-category::")


def test_the_gitlab_script_fetches_the_target_branch_and_checks(tmp_path, catalogued):
    clone = pull_request(tmp_path, catalogued, item("2024-zonghe-a1b2", category="x"))
    git(clone, "update-ref", "-d", "refs/remotes/origin/main")  # GitLab's merge-request clone may lack it
    script = "\n".join(load(catalogued, GITLAB)["gongkai-check"]["script"])
    done = run_step(clone, script, {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "GITLAB_USER_LOGIN": "li-gl"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unknown-category" in done.stdout
