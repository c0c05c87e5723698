"""A corpus of hostile pull requests, as CI meets them: each builds a pull request on a clone of
an office's bare remote, and says which findings `check --since origin/main` must give. Most
cannot be stored as files (merge commits, a main branch that moves after the fork, links to
/dev/zero, pipes, 40,000 keys), so each case is a small function. tests/test_gate.py runs every
case; bench/gate.py times them.

The office: admin@example.gov.cn is the admin; zonghe's clerk is wang, caiwu's are li and zhao,
xiang has no clerks. Unless a case says otherwise, the pull request is li's (a caiwu clerk).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from conftest import CATEGORIES, CONFIG, git, item, make_repo, write_files

ADMIN, WANG, LI = "admin@example.gov.cn", "wang@example.gov.cn", "li@example.gov.cn"
UNITS = """\
- id: zonghe
  name: 综合处
  kind: department
  clerks: [wang@example.gov.cn]
- id: caiwu
  name: 财务处
  kind: department
  clerks: [li@example.gov.cn, zhao@example.gov.cn]
- id: xiang
  name: 某乡
  kind: township
"""
POLICY = item("2024-zonghe-a1b2", index_no="ZH-2024-0001", disclosed="2024-09-24")
# Another unit's items written the ways YAML allows that a line scan misses.
FLOW = ("items/2024/caiwu/2024-caiwu-f1f2.yaml",
        ("{id: 2024-caiwu-f1f2, title: 财务动态, category: work-news, unit: caiwu, formed: 2024-09-23,\n"
         " index_no: CW-2024-0001}\n"))
NEXT_LINE = ("items/2024/caiwu/2024-caiwu-f3f4.yaml",
             ("id: 2024-caiwu-f3f4\ntitle: 财务动态二\ncategory: work-news\nunit: caiwu\nformed: 2024-09-23\n"
              "index_no:\n  CW-2024-0002\n"))
ESCAPED = ("items/2024/caiwu/2024-caiwu-f5f6.yaml",
           ('id: 2024-caiwu-f5f6\ntitle: 财务动态三\ncategory: work-news\nunit: caiwu\nformed: 2024-09-23\n'
            'index_no: "\\x43W-2024-0003"\n'))
MAIN = {"gongkai.yaml": CONFIG + f"admins: [{ADMIN}]\n", "catalog/units.yaml": UNITS,
        "catalog/categories.yaml": CATEGORIES, **dict([POLICY, FLOW, NEXT_LINE, ESCAPED])}
SAME_UNIT_RULE = ("rules/interpret.yaml", ("id: interpret\nname: 谁起草谁解读\ncategory: policy-docs\n"
                                           "companion: {category: interpretations, within: {days: 0}, same_unit: true}\n"))
ANY_UNIT_RULE = ("rules/interpret.yaml", ("id: interpret\nname: 政策解读\ncategory: policy-docs\n"
                                          "companion: {category: interpretations, within: {days: 0}}\n"))


def commit_as(root: Path, email: str, files: dict, message: str = "登记条目") -> None:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "-c", "user.name=某人", "-c", f"user.email={email}", "commit", "-q", "--allow-empty", "-m", message)


@dataclass
class Office:
    """A bare remote holding main, and the folder clones go in."""

    remote: Path
    folder: Path

    @classmethod
    def create(cls, folder: Path) -> Office:
        seed = make_repo(folder / "seed", MAIN, base=False)
        remote = folder / "office.git"
        git(folder, "init", "-q", "--bare", "--initial-branch=main", str(remote))
        git(seed, "push", "-q", str(remote), "HEAD:main")
        return cls(remote, folder)

    def clone(self, name: str, branch: str = "pr") -> Path:
        where = self.folder / name
        git(self.folder, "clone", "-q", str(self.remote), str(where))
        git(where, "checkout", "-q", "-b", branch)
        return where

    def on_main(self, files: dict, email: str = ADMIN) -> None:
        """What an admin merged to main (pushed straight to it here)."""
        admin = self.clone(f"main-{len(list(self.folder.iterdir()))}", branch="merged")
        commit_as(admin, email, files, "管理员合并")
        git(admin, "push", "-q", "origin", "merged:main")


@dataclass(frozen=True)
class Pull:
    name: str
    build: Callable[[Office, Path], None]  # makes the pull request in the clone `work`
    expected: frozenset = field(default_factory=frozenset)  # (path, code) that must be found; path None: any
    actor: str | None = None

    def open(self, folder: Path) -> Path:
        """The pull request, checked out as CI checks it out (detached, origin/main fetched)."""
        office = Office.create(folder)
        work = office.clone("work")
        self.build(office, work)
        git(work, "fetch", "-q")
        git(work, "checkout", "-q", "--detach")
        return work

    def args(self) -> list[str]:
        return ["check", "--since", "origin/main", "--format", "json", *(["--actor", self.actor] if self.actor else [])]


def _pull(name: str, *expected: tuple[str | None, str], actor: str | None = None):
    def register(build: Callable[[Office, Path], None]) -> Callable:
        HOSTILE.append(Pull(name, build, frozenset(expected), actor))
        return build
    return register


def _legit(name: str):
    def register(build: Callable[[Office, Path], None]) -> Callable:
        LEGIT.append(Pull(name, build))
        return build
    return register


HOSTILE: list[Pull] = []
LEGIT: list[Pull] = []
ZONGHE_ITEM = item("2024-zonghe-e5f6")
CAIWU = "items/2024/caiwu"


# Commits and owners ------------------------------------------------------------------------------


@_pull("evil-merge", (ZONGHE_ITEM[0], "not-unit-clerk"))
def _evil_merge(office: Office, work: Path) -> None:
    """A merge commit that edits another unit's item itself (no parent has the change)."""
    commit_as(work, LI, dict([item("2024-caiwu-a1b2", unit="caiwu")]))
    git(work, "checkout", "-q", "-b", "side", "origin/main")
    commit_as(work, LI, dict([item("2024-caiwu-b2c3", unit="caiwu")]))
    git(work, "checkout", "-q", "pr")
    git(work, "merge", "-q", "--no-commit", "side")
    commit_as(work, LI, dict([ZONGHE_ITEM]), "Merge branch 'side'")


@_pull("revoked-clerk", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "not-unit-clerk"))
def _revoked(office: Office, work: Path) -> None:
    """Branched while li was caiwu's clerk; an admin removed li on main since."""
    office.on_main({"catalog/units.yaml": UNITS.replace("li@example.gov.cn, ", "")})
    commit_as(work, LI, dict([item("2024-caiwu-a1b2", unit="caiwu")]))


@_pull("self-made-clerk", ("catalog/units.yaml", "admin-only"), (ZONGHE_ITEM[0], "not-unit-clerk"))
def _self_made_clerk(office: Office, work: Path) -> None:
    commit_as(work, LI, {"catalog/units.yaml": UNITS.replace("[wang@example.gov.cn]", f"[wang@example.gov.cn, {LI}]")})
    commit_as(work, LI, dict([ZONGHE_ITEM]))


@_pull("self-made-admin", ("gongkai.yaml", "admin-only"), (ZONGHE_ITEM[0], "not-unit-clerk"))
def _self_made_admin(office: Office, work: Path) -> None:
    commit_as(work, LI, {"gongkai.yaml": CONFIG + f"admins: [{ADMIN}, {LI}]\n"})
    commit_as(work, LI, dict([ZONGHE_ITEM]))


@_pull("forged-author", (ZONGHE_ITEM[0], "not-unit-clerk"), actor="li-gh")
def _forged_author(office: Office, work: Path) -> None:
    """li types wang's email as the commit author; CI names the real author."""
    commit_as(work, WANG, dict([ZONGHE_ITEM]))


# What only admins change -------------------------------------------------------------------------


@_pull("extra-holidays", ("gongkai.yaml", "admin-only"))
def _holidays(office: Office, work: Path) -> None:
    commit_as(work, LI, {"gongkai.yaml": MAIN["gongkai.yaml"] + "holidays: [2024-10-08, 2024-10-09]\n"})


@_pull("rule-relaxed", ("rules/timely.yaml", "admin-only"))
def _rule(office: Office, work: Path) -> None:
    commit_as(work, LI, {"rules/timely.yaml": "id: timely\nname: 及时\ncategory: policy-docs\nwithin: {days: 365}\n"})


@_pull("category-relaxed", ("catalog/categories.yaml", "admin-only"))
def _category(office: Office, work: Path) -> None:
    commit_as(work, LI, {"catalog/categories.yaml": CATEGORIES.replace("  time_limit: timely\n", "")})


@_pull("items-re-encoded", (".gitattributes", "admin-only"), (f"{CAIWU}/.gitattributes", "admin-only"))
def _attributes(office: Office, work: Path) -> None:
    """Another unit's items as UTF-16 in the working tree drop out of `audit`; even in one's own folder."""
    commit_as(work, LI, {".gitattributes": "items/2024/xiang/*.yaml working-tree-encoding=UTF-16\n",
                         f"{CAIWU}/.gitattributes": "*.yaml filter=hide\n"})


@_pull("pipeline-disabled", (".github/workflows/gongkai.yml", "admin-only"), ("CODEOWNERS", "admin-only"))
def _pipeline(office: Office, work: Path) -> None:
    commit_as(work, LI, {".github/workflows/gongkai.yml": "on: push\njobs: {}\n", "CODEOWNERS": f"* {LI}\n"})


PHOTO = "evidence/2024/notice-board.jpg"


@_pull("another-units-photo", (PHOTO, "not-unit-clerk"))
def _photo(office: Office, work: Path) -> None:
    office.on_main({POLICY[0]: POLICY[1] + f"evidence: [{PHOTO}]\n", PHOTO: b"\xff\xd8 photo"})
    git(work, "pull", "-q", "origin", "main")
    commit_as(work, LI, {PHOTO: b"\xff\xd8 another photo"})


@_pull("photo-in-another-units-folder", ("evidence/2024/zonghe/board.jpg", "not-unit-clerk"))
def _photo_folder(office: Office, work: Path) -> None:
    commit_as(work, LI, {"evidence/2024/zonghe/board.jpg": b"\xff\xd8 photo"})


# Meeting another unit's obligations --------------------------------------------------------------


XIANG_POLICY = item("2024-xiang-a1b2", unit="xiang", disclosed="2024-09-24")
NIL_INTERPRETATION = item("2024-caiwu-c5d6", unit="caiwu", category="interpretations", mode="nil",
                          reason="无需解读", of="2024-xiang-a1b2")


@_pull("nil-companion-for-another-unit", (NIL_INTERPRETATION[0], "foreign-companion"))
def _nil_companion(office: Office, work: Path) -> None:
    """谁起草谁解读: caiwu's clerk says xiang's policy document needs no interpretation."""
    office.on_main(dict([SAME_UNIT_RULE, XIANG_POLICY]))
    git(work, "pull", "-q", "origin", "main")
    commit_as(work, LI, dict([NIL_INTERPRETATION]))


# References a line scan misses -------------------------------------------------------------------


@_pull("required-field-against-flow-style", (FLOW[0], "missing-detail"), (NEXT_LINE[0], "missing-detail"))
def _required_field(office: Office, work: Path) -> None:
    """The admin makes work-news need `source`; the flow-style item lacks it."""
    commit_as(work, ADMIN, {"catalog/categories.yaml": CATEGORIES.replace(
        "- id: work-news\n  name: 工作动态\n", "- id: work-news\n  name: 工作动态\n  fields: [source]\n")})


@_pull("reused-index-number-flow-style", (None, "duplicate-index-no"))
def _reused_flow(office: Office, work: Path) -> None:
    commit_as(work, LI, dict([item("2024-caiwu-a1b2", unit="caiwu", category="work-news", index_no="CW-2024-0001")]))


@_pull("reused-index-number-next-line", (None, "duplicate-index-no"))
def _reused_next_line(office: Office, work: Path) -> None:
    commit_as(work, LI, dict([item("2024-caiwu-a1b2", unit="caiwu", category="work-news", index_no="CW-2024-0002")]))


@_pull("reused-index-number-escaped", (None, "duplicate-index-no"))
def _reused_escaped(office: Office, work: Path) -> None:
    commit_as(work, LI, dict([item("2024-caiwu-a1b2", unit="caiwu", category="work-news", index_no="CW-2024-0003")]))


# Content that would stall CI ---------------------------------------------------------------------


@_pull("item-linked-to-dev-zero", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "path-escape"))
def _dev_zero(office: Office, work: Path) -> None:
    (work / CAIWU).mkdir(parents=True, exist_ok=True)
    (work / CAIWU / "2024-caiwu-a1b2.yaml").symlink_to("/dev/zero")
    commit_as(work, LI, {})


@_pull("item-linked-to-a-pipe", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "unreadable-file"))
def _pipe(office: Office, work: Path) -> None:
    """git keeps no pipes: the pipe is made in the checkout, the link to it is committed."""
    (work / CAIWU).mkdir(parents=True, exist_ok=True)
    (work / CAIWU / "2024-caiwu-a1b2.yaml").symlink_to("../../pipe")
    commit_as(work, LI, {})
    os.mkfifo(work / "items/pipe")


@_pull("item-over-the-size-limit", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "file-too-large"))
def _huge(office: Office, work: Path) -> None:
    path, content = item("2024-caiwu-a1b2", unit="caiwu")
    commit_as(work, LI, {path: content + ("# " + "填" * 60 + "\n") * 12_000})


def parent_chain(length: int) -> str:
    """`length` units each the parent of the next, the last the parent of the first (a cycle)."""
    return "".join(f"- id: u{index}\n  name: 单位{index}\n  kind: department\n  parent: u{(index - 1) % length}\n"
                   for index in range(length))


@_pull("units-2400-deep", ("catalog/units.yaml", "parent-cycle"))
def _chain(office: Office, work: Path) -> None:
    commit_as(work, ADMIN, {"catalog/units.yaml": UNITS + parent_chain(2400)})


def unknown_keys(count: int) -> str:
    _, content = item("2024-caiwu-a1b2", unit="caiwu")
    return content + "".join(f"k{index}: {index}\n" for index in range(count))


@_pull("item-with-40000-unknown-keys", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "unknown-field"),
       (f"{CAIWU}/2024-caiwu-a1b2.yaml", "more-findings"))
def _keys(office: Office, work: Path) -> None:
    commit_as(work, LI, {f"{CAIWU}/2024-caiwu-a1b2.yaml": unknown_keys(40_000)})


def merge_chain(length: int) -> str:
    """Each mapping merges the one before it: quadratic in `length` if the merges were built."""
    _, content = item("2024-caiwu-a1b2", unit="caiwu")
    chain = ["  m0: &m0 {k0: 0}"] + [f"  m{i}: &m{i}\n    <<: *m{i - 1}\n    k{i}: {i}" for i in range(1, length)]
    return content + "details:\n" + "\n".join(chain) + "\n"


@_pull("nested-merge-keys", (f"{CAIWU}/2024-caiwu-a1b2.yaml", "yaml-alias-bomb"))
def _merges(office: Office, work: Path) -> None:
    commit_as(work, LI, {f"{CAIWU}/2024-caiwu-a1b2.yaml": merge_chain(5000)})


# What must still pass ----------------------------------------------------------------------------


@_legit("admin-changes-rules")
def _admin_rules(office: Office, work: Path) -> None:
    commit_as(work, ADMIN, {"rules/timely.yaml": "id: timely\nname: 及时\ncategory: policy-docs\nwithin: {days: 20}\n",
                            "catalog/units.yaml": UNITS.replace("[wang@example.gov.cn]", "[wang@example.gov.cn, sun@x.cn]"),
                            ".gitattributes": "*.jpg binary\n"})


@_legit("clerk-edits-own-unit")
def _own_unit(office: Office, work: Path) -> None:
    commit_as(work, WANG, {POLICY[0]: POLICY[1] + "doc_number: 综办发〔2024〕1号\n"})
    commit_as(work, WANG, dict([item("2024-zonghe-b2c3", category="work-news")]))


@_legit("interpretation-from-another-unit-where-the-rule-allows")
def _any_unit(office: Office, work: Path) -> None:
    office.on_main(dict([ANY_UNIT_RULE]))
    git(work, "pull", "-q", "origin", "main")
    commit_as(work, LI, dict([item("2024-caiwu-c5d6", unit="caiwu", category="interpretations",
                                   disclosed="2024-09-24", of="2024-zonghe-a1b2")]))
