"""The data files come from git's index (`ls-files -s`, `diff-files`) and one listing of each folder,
not a walk: every file the walk saw is still seen, whatever git tracks.

Each case runs `check` twice (the second answer remembered) and once more after the index is
rewritten, and compares with what a repository committed as the working tree stands gives: what
is on disk decides, never what git last recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from conftest import git, item, write_files

BAD = {"unit": "no-such-unit"}  # an item with a finding: it is read when the finding is there


def findings(cli, root) -> set[tuple[str, str]]:
    result = cli(root, "check", "--format", "json")
    return {(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]}


def reported(cli, root) -> set[tuple[str, str]]:
    """check's findings, the same on a second run (remembered) and after the index is rewritten."""
    first = findings(cli, root)
    assert findings(cli, root) == first
    subprocess.run(["git", "update-index", "-q", "--really-refresh"], cwd=root, capture_output=True,
                   check=False)  # 1: files differ
    assert findings(cli, root) == first
    return first


def bad_item(name: str, folder: str = "2024/zonghe") -> tuple[str, str]:
    _, text = item(name, unit="zonghe")
    return f"items/{folder}/{name}.yaml", text.replace("unit: zonghe", "unit: no-such-unit")


def test_an_untracked_item_in_a_new_folder_is_read(cli, repo):
    path, text = bad_item("2024-zonghe-new1", "2025/zonghe")
    assert findings(cli, repo) == set()
    write_files(repo, {path: text})
    assert ("unknown-unit", path) in reported(cli, repo)


def test_an_ignored_item_is_read_as_the_walk_read_it(cli, repo):
    path, text = bad_item("2024-zonghe-ign1")
    write_files(repo, {".gitignore": "*.yaml\n!gongkai.yaml\n", path: text})
    assert ("unknown-unit", path) in reported(cli, repo)


def test_a_deleted_item_is_no_longer_read(cli, repo):
    path, text = bad_item("2024-zonghe-del1")
    write_files(repo, {path: text})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bad item")
    assert ("unknown-unit", path) in reported(cli, repo)
    (repo / path).unlink()
    assert reported(cli, repo) == set()
    shutil.rmtree(repo / "items")  # the folders gone too
    assert reported(cli, repo) == set()


def test_a_renamed_item_is_read_under_its_new_name(cli, repo):
    path, text = bad_item("2024-zonghe-ren1")
    write_files(repo, {path: text})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bad item")
    moved = path.replace("2024/zonghe", "2024/moved")
    (repo / moved).parent.mkdir(parents=True)
    os.rename(repo / path, repo / moved)  # not staged
    assert {finding[1] for finding in reported(cli, repo)} == {moved}
    git(repo, "add", "-A")  # staged as a rename
    assert {finding[1] for finding in reported(cli, repo)} == {moved}


def test_an_edit_not_staged_is_what_check_reads(cli, repo):
    path, text = item("2024-zonghe-ed1")
    write_files(repo, {path: text})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "good item")
    assert reported(cli, repo) == set()
    (repo / path).write_text(text.replace("unit: zonghe", "unit: no-such-unit"), encoding="utf-8")
    assert ("unknown-unit", path) in reported(cli, repo)
    git(repo, "add", path)  # the index changes, the file does not
    assert ("unknown-unit", path) in reported(cli, repo)
    (repo / path).write_text(text, encoding="utf-8")  # back as committed, the index still says otherwise
    assert reported(cli, repo) == set()
    git(repo, "add", path)
    assert reported(cli, repo) == set()


def test_links_and_pipes_tracked_or_not_are_reported(cli, repo, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    tracked_link, new_link = "items/2024/zonghe/2024-zonghe-lnk1.yaml", "items/2024/zonghe/2024-zonghe-lnk2.yaml"
    (repo / "items/2024/zonghe").mkdir(parents=True)
    (repo / tracked_link).symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a link")
    (repo / new_link).symlink_to(outside)
    os.mkdir(repo / "items/2025")
    os.mkfifo(repo / "items/2025/pipe.yaml")  # in a folder git does not list: only a pipe in it
    assert reported(cli, repo) == {("path-escape", tracked_link), ("path-escape", new_link),
                                   ("not-a-file", "items/2025/pipe.yaml")}


def test_a_tracked_item_replaced_by_a_pipe_or_a_folder_is_reported(cli, repo):
    first, second = item("2024-zonghe-p1"), item("2024-zonghe-p2")
    write_files(repo, dict([first, second]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two items")
    (repo / first[0]).unlink()
    os.mkfifo(repo / first[0])
    (repo / second[0]).unlink()
    (repo / second[0]).mkdir()
    write_files(repo, {f"{second[0]}/inside.yaml": second[1]})
    assert reported(cli, repo) == {("not-a-file", first[0]), ("not-a-file", second[0])}


def test_hidden_folders_are_passed_over_tracked_or_not(cli, repo):
    tracked, untracked = bad_item("2024-zonghe-h1", ".drafts"), bad_item("2024-zonghe-h2", "2024/.old")
    write_files(repo, {tracked[0]: tracked[1]})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "drafts")
    write_files(repo, {untracked[0]: untracked[1]})
    assert reported(cli, repo) == set()


def test_a_linked_items_folder_inside_the_repository_is_still_read(cli, repo):
    path, text = bad_item("2024-zonghe-lf1")
    write_files(repo, {f"data/{path}": text})
    (repo / "items").symlink_to("data/items")
    assert ("unknown-unit", path) in reported(cli, repo)


def test_overdue_reads_an_edit_not_staged(cli, repo):
    path, text = item("2024-zonghe-od1", category="policy-docs")
    write_files(repo, {path: text})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "item")
    before = cli(repo, "--lang", "en", "audit", "--quarter", "2024Q3", "--as-of", "2024-12-01", "--format", "json").stdout
    (repo / path).write_text(text + "disclosed: 2024-09-24\n", encoding="utf-8")
    after = cli(repo, "--lang", "en", "audit", "--quarter", "2024Q3", "--as-of", "2024-12-01", "--format", "json").stdout
    assert before != after
    (repo / path).write_text(text, encoding="utf-8")
    assert cli(repo, "--lang", "en", "audit", "--quarter", "2024Q3", "--as-of", "2024-12-01",
               "--format", "json").stdout == before


def test_a_kept_listing_serves_only_while_no_folder_changed(cli, repo):
    """The listing is kept under the index's checksum with each folder's time; folders changed long
    ago (as in a large repository between two runs) let the next run use it, and a change in any of
    them is seen."""
    good, bad = item("2024-zonghe-kept1"), bad_item("2024-zonghe-kept2")
    write_files(repo, dict([good]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an item")

    ages = iter(range(1_600_000_000, 1_700_000_000, 1000))

    def age_folders() -> None:  # each time another day long ago, as a folder's time never goes back
        past = next(ages)
        for folder, _, _ in os.walk(repo):
            os.utime(folder, (past, past))

    age_folders()
    assert reported(cli, repo) == set()
    assert (repo / ".git/gongkai-cache/listing.marshal").exists()  # kept: this run and the next use it
    write_files(repo, {bad[0]: bad[1]})  # an untracked item beside the other
    assert ("unknown-unit", bad[0]) in reported(cli, repo)
    age_folders()
    assert ("unknown-unit", bad[0]) in reported(cli, repo)
    (repo / bad[0]).unlink()
    os.mkfifo(repo / bad[0])
    assert reported(cli, repo) == {("not-a-file", bad[0])}
    (repo / bad[0]).unlink()
    age_folders()
    assert reported(cli, repo) == set()


def test_a_kept_listing_serves_an_edit_in_place_and_the_edit_is_read(cli, repo):
    """An edit in place changes neither the index nor its folder's time: the kept listing serves the
    next run (no folder listed again), and the edited file, which diff-files names, is read anew
    rather than taken for the blob the index holds."""
    good = item("2024-zonghe-kept3")
    write_files(repo, dict([good]))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an item")
    for folder, _, _ in os.walk(repo):
        os.utime(folder, (1_600_000_000, 1_600_000_000))
    assert findings(cli, repo) == set()
    kept = repo / ".git/gongkai-cache/listing.marshal"
    written = kept.stat().st_mtime_ns
    path = repo / good[0]
    path.write_text(good[1].replace("unit: zonghe", "unit: no-such-unit"), encoding="utf-8")
    os.utime(path.parent, (1_600_000_000, 1_600_000_000))
    assert ("unknown-unit", good[0]) in findings(cli, repo)
    assert kept.stat().st_mtime_ns == written  # served, not listed and written again
    path.write_text(good[1], encoding="utf-8")
    assert findings(cli, repo) == set()
