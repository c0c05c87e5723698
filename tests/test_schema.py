"""The generated JSON Schemas agree with gongkai on which item files are schema-invalid.

check-jsonschema, a peer validator, is run with `gongkai schema`'s item schema over a corpus of
good files (every example office's items) and bad ones (mutations below). A file is
schema-invalid for gongkai when reading it alone gives a finding.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gongkai_cli.load.load import load_contents

PROJECT = Path(__file__).resolve().parents[1]

BASE = "id: 2024-zonghe-a1b2\ntitle: 关于印发某办法的通知\ncategory: policy-docs\nunit: zonghe\nformed: 2024-09-23\n"
BAD = {
    "no-title": BASE.replace("title: 关于印发某办法的通知\n", ""),
    "unknown-key": BASE + "disclosd: 2024-10-01\n",
    "impossible-date": BASE.replace("2024-09-23", "2024-02-30"),
    "date-as-number": BASE.replace("2024-09-23", "20240923"),
    "date-as-digits": BASE.replace("2024-09-23", "'20240923'"),
    "week-date": BASE.replace("2024-09-23", "2024-W39-1"),
    "bad-period": BASE + "period: 2024Q5\n",
    "bad-mode": BASE + "mode: secret\n",
    "upper-case-id": BASE.replace("id: 2024-zonghe-a1b2", "id: 2024-Zonghe"),
    "title-list": BASE.replace("title: 关于印发某办法的通知", "title: [a, b]"),
    "extended-word": BASE + "extended: yes\n",
    "review-without-day": BASE + "reviews: [{step: secrecy, by: 李}]\n",
    "withdrawn-without-reason": BASE + "withdrawn: {on: 2024-10-01}\n",
    "bad-outcome": BASE + "outcome: denied/maybe\n",
    "bad-requester": BASE + "requester: robot\n",
    "details-not-a-map": BASE + "details: 财政专项\n",
    "not-a-mapping": "- just\n- a list\n",
}
GOOD = {
    "minimal": BASE,
    "date-time": BASE.replace("2024-09-23", "2024-09-23T14:30"),
    "date-time-offset": BASE.replace("2024-09-23", "2024-09-23T14:30+08:00"),
    "year-period": BASE + "period: 2024\n",
    "full": BASE + (
        "disclosed: 2024-10-10\nperiod: 2024Q3\nmode: on-request\nreceived: 2024-09-23\nextended: true\n"
        "paused: [{from: 2024-09-27, to: 2024-09-30, reason: 征求第三方意见}]\nreplied: 2024-10-20\n"
        "requester: natural-person\noutcome: denied/third-party\nreviews: [{step: secrecy, by: 李, on: 2024-10-09}]\n"
        "withdrawn: {on: 2024-11-01, reason: 已废止}\ndetails: {资金来源: 财政专项}\n"
    ),
}


def corpus(tmp_path: Path) -> dict[Path, str]:
    files = {}
    for name, text in {**{f"bad-{k}": v for k, v in BAD.items()}, **{f"good-{k}": v for k, v in GOOD.items()}}.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        files[path] = text
    for path in sorted(PROJECT.glob("items/*/*/*.yaml")) + sorted(PROJECT.glob("examples/*/items/*/*/*.yaml")):
        files[path] = path.read_text(encoding="utf-8")
    return files


def gongkai_invalid(text: str) -> bool:
    _, findings = load_contents({"items/2024/zonghe/x.yaml": text.encode()})
    return bool(findings)


def peer_invalid(schema: Path, paths: list[Path]) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), "-o", "json", *map(str, paths)],
        capture_output=True, text=True,
    )
    report = json.loads(result.stdout)
    return {error["filename"] for error in report.get("errors", [])} | {
        error["filename"] for error in report.get("parse_errors", [])
    }


def test_schema_agrees_with_check(tmp_path, cli):
    schema_dir = tmp_path / "schema"
    assert cli(None, "schema", "-o", str(schema_dir)).exit_code == 0
    files = corpus(tmp_path)
    flagged_by_peer = peer_invalid(schema_dir / "item.schema.json", list(files))
    disagreements = [
        (path.name, gongkai_invalid(text), str(path) in flagged_by_peer)
        for path, text in files.items()
        if gongkai_invalid(text) != (str(path) in flagged_by_peer)
    ]
    assert disagreements == []
    assert len(files) > 100
    assert sum(gongkai_invalid(text) for text in files.values()) == len(BAD)


@pytest.mark.parametrize("kind", ["config", "units", "categories", "rules", "item"])
def test_every_file_kind_has_a_generated_schema(tmp_path, cli, kind):
    assert cli(None, "schema", "-o", str(tmp_path)).exit_code == 0
    document = json.loads((tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert document["$schema"].startswith("https://json-schema.org/")
    assert "properties" in json.dumps(document)
