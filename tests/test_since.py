"""`gongkai check --since REV`: what a pull request changed, plus what references it — and the same
findings a full check gives on those files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CATEGORIES, CONFIG, UNITS, git, item, write_files
from conftest import make_repo as make_office
from gongkai_cli.check.changes import changes_since
from gongkai_cli.check.since import plan
from gongkai_cli.check.validate import validate
from gongkai_cli.setup.init import init_repository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai_cli.load import yamlio

SINCE_ONLY = {"deleted-item", "not-unit-clerk", "admin-only", "overdue-item"}


def make_repo(root: Path, files: dict) -> Path:
    """An office whose admin is the test's git identity: ownership is test_ownership.py's business."""
    return make_office(root, {"gongkai.yaml": CONFIG + "admins: [Tester@Example.gov.cn]\n", **files})


def since(cli, root, rev="main", *args):
    result = cli(root, "check", "--since", rev, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def found(document):
    return {(f["path"], f["code"]) for f in document["findings"]}


def branch(root: Path, name: str = "pr") -> None:
    git(root, "checkout", "-q", "-b", name)


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def office(tmp_path):
    """A clean office on main with two items, one the companion of the other; work continues on branch pr."""
    policy = item("2024-zonghe-a1b2")
    companion = item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-a1b2")
    root = make_repo(tmp_path / "office", dict([policy, companion]))
    branch(root)
    return root


# What is checked -------------------------------------------------------------------------------


def test_nothing_changed_checks_nothing(cli, office):
    assert since(cli, office) == (0, {"ok": True, "files": 0, "findings": []})


def test_a_changed_item_is_checked_and_an_untouched_broken_one_is_not(cli, tmp_path):
    broken = item("2024-zonghe-zzzz", category="nothing")
    root = make_repo(tmp_path / "office", dict([broken]))
    branch(root)
    path, content = item("2024-zonghe-k3f9", unit="nobody")
    write_files(root, {path: content})
    commit(root)
    exit_code, document = since(cli, root)
    assert exit_code == 1
    assert found(document) == {(path, "unknown-unit")}
    assert document["files"] == 1


@pytest.mark.parametrize("state", ["committed", "staged", "unstaged", "untracked"])
def test_every_kind_of_change_is_seen(cli, office, state):
    path, content = item("2024-zonghe-k3f9", disclosed="2024-01-01")
    if state == "unstaged":
        write_files(office, {path: content.replace("disclosed: 2024-01-01\n", "")})
        commit(office)
    write_files(office, {path: content})
    if state in ("committed", "staged"):
        git(office, "add", path)
    if state == "committed":
        commit(office)
    assert found(since(cli, office)[1]) == {(path, "disclosed-before-formed")}


def test_a_changed_category_rechecks_its_items(cli, office):
    write_files(office, {"catalog/categories.yaml": CATEGORIES.replace("  time_limit: timely\n", "  time_limit: timely\n  fields: [source_url]\n")})
    exit_code, document = since(cli, office)
    assert exit_code == 1
    assert found(document) == {("items/2024/zonghe/2024-zonghe-a1b2.yaml", "missing-detail")}


def test_a_removed_unit_rechecks_its_items_and_the_catalog(cli, office):
    units = UNITS.replace("- id: zonghe\n  name: 综合处\n  kind: department\n  clerks: [wang@example.gov.cn]\n", "")
    write_files(office, {"catalog/units.yaml": units,
                         "catalog/categories.yaml": CATEGORIES + "- id: zonghe-only\n  name: 综合\n  units: [zonghe]\n"})
    codes = found(since(cli, office)[1])
    assert ("items/2024/zonghe/2024-zonghe-a1b2.yaml", "unknown-unit") in codes
    assert ("items/2024/zonghe/2024-zonghe-c3d4.yaml", "unknown-unit") in codes
    assert ("catalog/categories.yaml", "unknown-unit") in codes


def test_a_deleted_item_is_a_finding_and_its_companions_lose_their_reference(cli, office):
    git(office, "rm", "-q", "items/2024/zonghe/2024-zonghe-a1b2.yaml")
    commit(office)
    exit_code, document = since(cli, office)
    assert exit_code == 1
    assert found(document) == {("items/2024/zonghe/2024-zonghe-a1b2.yaml", "deleted-item"),
                               ("items/2024/zonghe/2024-zonghe-c3d4.yaml", "unknown-item")}
    deleted = next(f for f in document["findings"] if f["code"] == "deleted-item")
    assert (deleted["line"], deleted["col"], deleted["severity"]) == (1, 1, "error")


def test_a_moved_item_is_not_deleted(cli, office):
    path, content = item("2023-zonghe-e5f6", formed="2024-03-01")
    path = "items/2023/zonghe/2023-zonghe-e5f6.yaml"
    write_files(office, {path: content})
    git(office, "checkout", "-q", "main")
    commit(office, "misplaced on main")
    git(office, "checkout", "-q", "pr")
    git(office, "rebase", "-q", "main")
    git(office, "mv", path, "items/2024/zonghe/2023-zonghe-e5f6.yaml")
    commit(office, "moved")
    assert since(cli, office) == (0, {"ok": True, "files": 1, "findings": []})


def test_a_new_item_reusing_an_id_is_caught_wherever_the_finding_lands(cli, office):
    # items/2024/cun/… sorts before items/2024/zonghe/…, so the full check flags the old file
    path, content = item("2024-zonghe-a1b2", unit="cun")
    write_files(office, {path: content})
    codes = found(since(cli, office)[1])
    assert ("items/2024/zonghe/2024-zonghe-a1b2.yaml", "duplicate-id") in codes


def test_a_new_item_reusing_an_index_number_is_caught(cli, office):
    write_files(office, dict([item("2024-zonghe-a1b2", index_no="XC-2024-001")]))
    commit(office)
    write_files(office, dict([item("2024-zonghe-k3f9", index_no="'XC-2024-001'")]))
    codes = found(since(cli, office, "HEAD")[1])
    assert ("items/2024/zonghe/2024-zonghe-k3f9.yaml", "duplicate-index-no") in codes


def test_what_a_changed_item_references_is_read_but_not_reported(cli, tmp_path):
    target = item("2024-zonghe-a1b2", disclosed="2024-01-01")  # broken on main, not this pull request's doing
    root = make_repo(tmp_path / "office", dict([target]))
    branch(root)
    write_files(root, dict([item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-a1b2")]))
    assert since(cli, root) == (0, {"ok": True, "files": 1, "findings": []})


def test_a_rule_that_starts_counting_hours_rechecks_its_category(cli, office):
    write_files(office, {"rules/fast.yaml": "id: fast\nname: 快\ncategory: policy-docs\nwithin: {hours: 24}\n"})
    codes = found(since(cli, office)[1])
    assert codes == {("items/2024/zonghe/2024-zonghe-a1b2.yaml", "hours-needs-time")}


def test_a_removed_evidence_file_rechecks_the_items_naming_it(cli, tmp_path):
    root = make_repo(tmp_path / "office", {"evidence/board.jpg": b"jpg", **dict([item(evidence="[evidence/board.jpg]")])})
    branch(root)
    git(root, "rm", "-q", "evidence/board.jpg")
    assert found(since(cli, root)[1]) == {("items/2024/zonghe/2024-zonghe-a1b2.yaml", "evidence-not-found")}


def test_changes_on_the_target_branch_since_the_fork_are_not_the_pull_requests(cli, office):
    git(office, "checkout", "-q", "main")
    write_files(office, dict([item("2024-xiang-x1y2", unit="xiang")]))
    commit(office, "main moves on")
    git(office, "checkout", "-q", "pr")
    assert since(cli, office) == (0, {"ok": True, "files": 0, "findings": []})


def test_an_unknown_revision_is_a_usage_error(cli, office):
    result = cli(office, "check", "--since", "origin/nowhere", "--lang", "en")
    assert result.exit_code == 2
    assert "no commit origin/nowhere" in result.stderr


# Overdue at merge time ---------------------------------------------------------------------------

RULE_5_DAYS = {"rules/proactive.yaml": "id: proactive-5d\nname: 五日内公开\ncategory: policy-docs\nwithin: {days: 5}\n"}


@pytest.fixture
def late_office(tmp_path):
    root = make_repo(tmp_path / "office", RULE_5_DAYS)
    branch(root)
    write_files(root, dict([item("2024-zonghe-a1b2"), item("2024-xiang-b2c3", unit="xiang")]))
    commit(root)
    return root


def test_overdue_changed_items_are_warnings(cli, late_office):
    exit_code, document = since(cli, late_office)
    assert exit_code == 0
    overdue = [f for f in document["findings"] if f["code"] == "overdue-item"]
    assert {(f["path"], f["severity"]) for f in overdue} == {
        ("items/2024/zonghe/2024-zonghe-a1b2.yaml", "warning"), ("items/2024/xiang/2024-xiang-b2c3.yaml", "warning")}
    assert "proactive-5d" in overdue[0]["message"]


def test_fail_overdue_makes_them_errors(cli, late_office):
    exit_code, document = since(cli, late_office, "main", "--fail-overdue")
    assert exit_code == 1
    assert {f["severity"] for f in document["findings"] if f["code"] == "overdue-item"} == {"error"}


def test_overdue_items_the_pull_request_did_not_touch_are_not_its_concern(cli, late_office):
    git(late_office, "checkout", "-q", "-b", "next")
    write_files(late_office, dict([item("2024-xiang-d4e5", unit="xiang", disclosed="2024-09-24")]))
    commit(late_office)
    assert since(cli, late_office, "pr", "--fail-overdue") == (0, {"ok": True, "files": 1, "findings": []})


def test_a_full_check_with_fail_overdue_reports_every_overdue_item(cli, late_office):
    result = cli(late_office, "check", "--fail-overdue", "--format", "json")
    assert result.exit_code == 1
    assert len([f for f in json.loads(result.stdout)["findings"] if f["code"] == "overdue-item"]) == 2
    assert cli(late_office, "check").exit_code == 0


# --since agrees with a full check (property) ---------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The shipped example office on main, and its full-check findings."""
    config = tmp_path_factory.mktemp("home") / ".gitconfig"
    config.write_text("[user]\n\tname = 测试员\n\temail = tester@example.gov.cn\n[init]\n\tdefaultBranch = main\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", str(config))
        root = init_repository(tmp_path_factory.mktemp("example") / "office", "nmg-fupin")
    return root, set(validate(root).findings)


def _items(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "items").rglob("*.yaml"))


def _read(root: Path, path: str):
    return yamlio.load((root / path).read_text(encoding="utf-8"))


def _write(root: Path, path: str, document) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _ids(root: Path) -> list[str]:
    return [Path(path).stem for path in _items(root)]


def edit_item_value(root: Path, draw) -> None:
    path = draw(st.sampled_from(_items(root)))
    document = _read(root, path)
    key, value = draw(st.sampled_from([
        ("title", "修订后的标题 13912345678"), ("disclosed", "2001-01-01"), ("formed", "2019-06-30"),
        ("category", "interpretations"), ("unit", "zonghe"), ("doc_number", "内扶办发[2018]1号"),
        ("index_no", "IDX-0001"), ("id", draw(st.sampled_from(_ids(root)))), ("of", draw(st.sampled_from(_ids(root)))),
        ("mode", "not-disclosed"),
    ]))
    document[key] = value
    _write(root, path, document)


def break_reference(root: Path, draw) -> None:
    target = draw(st.sampled_from(["item-category", "item-unit", "item-of", "drop-category", "drop-unit", "rule"]))
    if target.startswith("item-"):
        path = draw(st.sampled_from(_items(root)))
        document = _read(root, path)
        document[target[5:]] = "no-such-thing"
        _write(root, path, document)
    elif target == "rule":
        path = draw(st.sampled_from(sorted(p.relative_to(root).as_posix() for p in (root / "rules").glob("*.yaml"))))
        document = _read(root, path)
        rules = document if isinstance(document, list) else [document]
        draw(st.sampled_from(rules))["category"] = "no-such-category"
        _write(root, path, document)
    else:
        path = "catalog/categories.yaml" if target == "drop-category" else "catalog/units.yaml"
        entries = _read(root, path)
        entries.remove(draw(st.sampled_from(entries)))
        _write(root, path, entries)


def delete_key(root: Path, draw) -> None:
    path = draw(st.sampled_from(_items(root) + ["catalog/categories.yaml"]))
    document = _read(root, path)
    entry = draw(st.sampled_from(document)) if isinstance(document, list) else document
    del entry[draw(st.sampled_from(sorted(entry)))]
    _write(root, path, document)


def add_bad_item(root: Path, draw) -> None:
    existing = draw(st.sampled_from(_items(root)))
    document = _read(root, existing)
    flaw = draw(st.sampled_from(["same-id", "bad-date", "unknown-field", "companion", "same-index-no"]))
    document["id"] = "2018-zonghe-new1"
    if flaw == "same-id":
        document["id"] = Path(existing).stem
    elif flaw == "bad-date":
        document["formed"] = "2018-02-30"
    elif flaw == "unknown-field":
        document["disclosd"] = "2018-10-01"
    elif flaw == "companion":
        document.update(category="interpretations", of=Path(existing).stem)
    else:
        document["index_no"] = "IDX-0001"
    _write(root, f"items/2018/zonghe/{document['id']}.yaml" if flaw != "same-id" else "items/2018/aaa/x.yaml", document)


def delete_item(root: Path, draw) -> None:
    (root / draw(st.sampled_from(_items(root)))).unlink()


EDITS = [edit_item_value, break_reference, delete_key, add_bad_item, delete_item]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_since_agrees_with_a_full_check(example, tmp_path_factory, data):
    base, before = example
    root = tmp_path_factory.mktemp("pr") / "office"
    shutil.copytree(base, root)
    branch(root)
    for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=3), label="edits"):
        edit(root, data.draw)
    if data.draw(st.booleans(), label="committed"):
        commit(root)

    full = set(validate(root).findings)
    pr = {f for f in validate(root, since="main").findings if f.code not in SINCE_ONLY}
    changes = changes_since(root, "main")
    checked = plan(root, changes).checked
    assert pr == {f for f in full if f.path in checked}, "--since and a full check disagree on the checked files"
    assert {f for f in full if f.path in changes.changed} <= pr, "a finding in a changed file is missing"
    assert full - before <= pr, "a problem this change introduced is missing"


@pytest.mark.parametrize("dirty", [False, True])
def test_reference_search_reads_each_file_as_it_is_on_disk(tmp_path: Path, dirty):
    """git grep reads the working tree, never the index's copies: a clean tree finds what the commit
    holds, and a dirty one what is on disk (edited, staged and edited back, deleted, untracked)."""
    from gongkai_cli.check.since import referring_items

    def naming(target: str) -> str:
        return "id: {id}\ntitle: 解读\ncategory: interpretations\nunit: zonghe\nformed: 2024-09-02\nof: " + target + "\n"

    paths = {name: f"items/2024/zonghe/2024-zonghe-{name}.yaml" for name in
             ("clean", "edited", "staged-back", "deleted", "untracked")}
    root = make_office(tmp_path / "office", {
        paths["clean"]: naming("2024-zonghe-x").format(id="2024-zonghe-clean"),
        paths["edited"]: naming("2024-zonghe-other").format(id="2024-zonghe-edited"),
        paths["staged-back"]: naming("2024-zonghe-x").format(id="2024-zonghe-staged-back"),
        paths["deleted"]: naming("2024-zonghe-x").format(id="2024-zonghe-deleted"),
    })
    if not dirty:
        assert referring_items(root, {"2024-zonghe-x"}, set()) == {paths[name] for name in
                                                                   ("clean", "staged-back", "deleted")}
        return
    write_files(root, {paths["edited"]: naming("2024-zonghe-x").format(id="2024-zonghe-edited"),
                       paths["untracked"]: naming("2024-zonghe-x").format(id="2024-zonghe-untracked"),
                       paths["staged-back"]: naming("2024-zonghe-other").format(id="2024-zonghe-staged-back")})
    git(root, "add", paths["staged-back"])  # the index no longer names x ...
    write_files(root, {paths["staged-back"]: naming("2024-zonghe-x").format(id="2024-zonghe-staged-back")})  # ... the file does
    (root / paths["deleted"]).unlink()
    expected = {paths[name] for name in ("clean", "edited", "staged-back", "untracked")}
    full, pr = set(validate(root).findings), set(validate(root, since="HEAD").findings)
    assert {f for f in full if f.path in changes_since(root, "HEAD").changed} <= pr  # edited, untracked
    assert referring_items(root, {"2024-zonghe-x"}, set()) == expected


# The reference search from the rows a full check left ------------------------------------------------


def aged(root: Path) -> Path:
    """Folders and index older than a racy moment: the listing a check makes is kept."""
    import os
    import time

    past = time.time() - 60
    for path in [root, root / ".git" / "index", *(p for p in root.rglob("*") if p.is_dir() and ".git" not in p.parts)]:
        os.utime(path, (past, past))
    return root


@pytest.fixture
def searched(monkeypatch):
    """Whether git grep was asked for the references (since.py's _candidates)."""
    from gongkai_cli.check import since as since_module

    calls, real = [], since_module._candidates
    monkeypatch.setattr(since_module, "_candidates", lambda *args: calls.append(args) or real(*args))
    return calls


def referring(root: Path) -> set[str]:
    from gongkai_cli.check.since import referring_items

    return referring_items(root, {"2024-zonghe-a1b2"}, set())


COMPANION = "items/2024/zonghe/2024-zonghe-c3d4.yaml"


def test_after_a_full_check_the_rows_find_the_references_without_git_grep(office, searched):
    assert validate(aged(office)).findings == []
    write_files(office, dict([item("2024-zonghe-a1b2", title="改过的标题")]))
    assert referring(office) == {COMPANION}
    assert plan(office, changes_since(office, "main")).checked == {"items/2024/zonghe/2024-zonghe-a1b2.yaml", COMPANION}
    assert searched == []


@pytest.mark.parametrize("how", ["edited", "new", "untracked", "broken", "staged"])
def test_a_file_the_rows_do_not_vouch_for_is_read(office, searched, how):
    assert validate(aged(office)).findings == []
    other = "items/2024/zonghe/2024-zonghe-e5f6.yaml"
    if how == "edited":  # the companion's row names a1b2; the file no longer does, and another does
        write_files(office, {COMPANION: item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-x")[1],
                             **dict([item("2024-zonghe-e5f6", category="interpretations", of="2024-zonghe-a1b2")])})
        expected = {other}
    elif how == "new":  # committed after the check: in the index, not in the rows
        write_files(office, dict([item("2024-zonghe-e5f6", category="interpretations", of="2024-zonghe-a1b2")]))
        commit(office)
        expected = {COMPANION, other}
    elif how == "untracked":
        write_files(office, dict([item("2024-zonghe-e5f6", category="interpretations", of="2024-zonghe-a1b2")]))
        expected = {COMPANION, other}
    elif how == "broken":  # not read as an item: its row holds no `of`
        write_files(office, dict([item("2024-zonghe-e5f6", category="interpretations", of="2024-zonghe-a1b2",
                                       formed="2024-13-01")]))
        commit(office)
        assert "invalid-date" in {f.code for f in validate(aged(office)).findings}
        expected = {COMPANION, other}
    else:  # staged then edited back: the index's blob is not the file's
        write_files(office, {COMPANION: item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-x")[1]})
        git(office, "add", COMPANION)
        write_files(office, dict([item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-a1b2")]))
        expected = {COMPANION}
    assert referring(office) == expected
    assert searched == []


def test_without_rows_or_with_an_entry_that_is_not_a_plain_file_git_grep_searches(office, searched):
    assert referring(office) == {COMPANION}  # no full check yet: no rows
    assert len(searched) == 1
    assert validate(aged(office)).findings == []
    git(office, "update-index", "--assume-unchanged", COMPANION)  # diff-files would not name it
    write_files(office, {COMPANION: item("2024-zonghe-c3d4", category="interpretations", of="2024-zonghe-x")[1]})
    assert referring(office) == set()
    assert len(searched) == 2


def test_an_attributes_file_that_may_convert_leaves_every_tracked_file_to_be_read(office, searched):
    write_files(office, {".gitattributes": "*.pdf filter=lfs diff=lfs merge=lfs -text\n"})
    commit(office)
    assert validate(aged(office)).findings == []  # no clean blob to trust: the rows vouch for nothing
    write_files(office, dict([item("2024-zonghe-a1b2", title="改过的标题")]))
    assert referring(office) == {COMPANION}
    assert searched == []


def test_two_offices_in_one_repository_never_take_each_others_listing(tmp_path, searched):
    from gongkai_cli.check.since import referring_items

    office = {"gongkai.yaml": CONFIG, "catalog/units.yaml": UNITS, "catalog/categories.yaml": CATEGORIES,
              **dict([item("2024-zonghe-a1b2")])}
    companions = {"a": "2024-zonghe-c3d4", "b": "2024-zonghe-e5f6"}
    both = make_office(tmp_path / "both", {f"{name}/{path}": text for name, companion in companions.items()
                                           for path, text in {**office, **dict([item(
                                               companion, category="interpretations", of="2024-zonghe-a1b2")])}.items()},
                       base=False)
    assert validate(aged(both) / "a").findings == []  # a's listing kept, under the one index's checksum
    write_files(both / "b", dict([item("2024-zonghe-a1b2", title="改过的标题")]))
    assert referring_items(both / "b", {"2024-zonghe-a1b2"}, set()) == {"items/2024/zonghe/2024-zonghe-e5f6.yaml"}
