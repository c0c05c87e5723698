"""Time every gongkai command on synthetic repositories, next to check-jsonschema.

    python bench/run.py [--sizes 1000,10000,100000] [--no-write]

Repositories come from bench/generate.py (bench/repos/N, built when missing). Each command
runs as a subprocess, repeated while cheap (the median is reported); peak memory is the child's
ru_maxrss from wait4. Prints a table and writes bench/RESULTS.md and bench/scaling.png.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
GONGKAI = str(BIN / "gongkai")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")
AS_OF = "2024-10-15"
BATCH = 20_000  # files per check-jsonschema call: 100,000 paths do not fit in one argument list


@dataclass
class Timing:
    name: str
    size: int
    seconds: float
    peak_mb: float
    runs: int
    ok: bool = True
    cpu: float = 0.0  # user + system seconds of the command and its worker processes (median)


CPU: list[float] = []  # the CPU seconds of each run_once, in order (read by `repeated`)


# The command is started by this small process, not by the benchmark itself: a child's peak
# resident set (ru_maxrss) starts at its parent's size when it forks and survives its exec, so a
# command forked from this script (which holds the figures, and at 300,000 items a repository's
# listing) would be charged for the script's memory.
SPAWN = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(json.dumps([elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)]))
"""


def run_once(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one subprocess; its CPU seconds (with those of the
    worker processes it waited for, as wait4 counts them) are appended to CPU."""
    spawned = subprocess.run([sys.executable, "-S", "-c", SPAWN, *argv], cwd=cwd, env={**os.environ, **(env or {})},
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    elapsed, peak_kb, cpu, code = json.loads(spawned.stdout)
    CPU.append(cpu)
    return elapsed, peak_kb / 1024, code


def repeated(name: str, size: int, step, max_runs: int = 5) -> Timing:
    """Run `step()` (→ seconds, peak MB, ok) again while it is cheap; report the median."""
    times, peaks, cpus, ok = [], [], [], True
    while len(times) < max_runs:
        started = len(CPU)
        seconds, peak, good = step()
        times.append(seconds)
        peaks.append(peak)
        cpus.append(sum(CPU[started:]))
        ok = ok and good
        if sum(times) > 20 or (len(times) >= 3 and sum(times) > 10):
            break
    return Timing(name, size, statistics.median(times), max(peaks), len(times), ok, statistics.median(cpus))


def gongkai(repo: Path, *args: str, prepare=None, codes=(0, 1), env: dict | None = None):
    def step():
        if prepare:
            prepare()
        seconds, peak, code = run_once([GONGKAI, *args], repo, env)
        return seconds, peak, code in codes
    return step


def each_day_anew(repo: Path, *args: str):
    """Run gongkai with a later --as-of each time: no remembered occurrences serve it (a clerk's
    first run of the day)."""
    days = iter(range(1, 10_000))

    def step():
        as_of = (datetime.date.fromisoformat(AS_OF) + datetime.timedelta(days=next(days))).isoformat()
        seconds, peak, code = run_once([GONGKAI, *args, "--as-of", as_of], repo)
        return seconds, peak, code in (0, 1)
    return step


def drop_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".git" / "gongkai-cache", ignore_errors=True)


def item_files(repo: Path) -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z", "items"], cwd=repo, capture_output=True, check=True).stdout
    return [path for path in listing.decode().split("\0") if path]


def check_jsonschema(repo: Path, schema_dir: Path):
    files = item_files(repo)

    def step():
        seconds = peak = 0.0
        ok = True
        for start in range(0, len(files), BATCH):
            argv = [CHECK_JSONSCHEMA, "--schemafile", str(schema_dir / "item.schema.json"), *files[start:start + BATCH]]
            elapsed, rss, code = run_once(argv, repo)
            seconds, peak, ok = seconds + elapsed, max(peak, rss), ok and code == 0
        return seconds, peak, ok
    return step


class OneChange:
    """Change one tracked item file, differently each time (no answer is remembered for it), and
    put it back afterwards."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.path = repo / item_files(repo)[len(item_files(repo)) // 2]
        self.original = self.path.read_bytes()
        self.edits = 0

    def apply(self) -> None:
        self.edits += 1
        self.path.write_bytes(self.original + b"note: benchmark edit %d\n" % self.edits)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def added_file_cleanup(repo: Path) -> None:
    subprocess.run(["git", "clean", "-fdq", "--", "items"], cwd=repo, check=True)


class Rewind:
    """Put the repository back at the commit it had when made (a write with its commit moves it)."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                                   check=True).stdout.strip()

    def __call__(self) -> None:
        subprocess.run(["git", "reset", "-q", "--hard", self.head], cwd=self.repo, check=True)
        added_file_cleanup(self.repo)


def undisclosed_item(repo: Path) -> str:
    """The id of an item file with no `disclosed:` line (for timing `disclose`)."""
    for path in item_files(repo):
        if b"\ndisclosed:" not in (repo / path).read_bytes():
            return Path(path).stem
    raise SystemExit("no undisclosed item to time `disclose` with")


# The floors: what no check of these files can go below, measured in the same run. Each is one
# Python process over the item files git lists (start-up included, as for gongkai).
LISTED = "import subprocess; files = [f for f in subprocess.run(['git', 'ls-files', '-z', 'items'], " \
         "capture_output=True, check=True).stdout.decode().split(chr(0)) if f]\n"
FLOOR_READ = LISTED + "for f in files:\n    open(f, 'rb').read()\n"
FLOOR_PARSE = LISTED + "import yaml_rs\nfor f in files:\n    yaml_rs.loads(open(f, 'rb').read().decode(), parse_datetime=False)\n"
FLOOR_LIBYAML = LISTED + "import yaml\nfor f in files:\n    yaml.load(open(f, 'rb').read(), Loader=yaml.CSafeLoader)\n"
BARE_PARSE = "floor: bare parse (yaml-rs, the chosen parser, 1 process)"
LIBYAML_PARSE = "floor: bare parse (PyYAML CSafeLoader, 1 process)"
READ = "floor: read every item file"
LISTING = "floor: git ls-files -s (blob listing)"


def floors(repo: Path, size: int) -> list[Timing]:
    def python(code: str):
        def step():
            seconds, peak, code_ = run_once([sys.executable, "-c", code], repo)
            return seconds, peak, code_ == 0
        return step

    def listing():
        seconds, peak, code = run_once(["git", "ls-files", "-s", "-z"], repo)
        return seconds, peak, code == 0

    return [
        repeated(LISTING, size, listing, max_runs=3),
        repeated(READ, size, python(FLOOR_READ), max_runs=3),
        repeated(BARE_PARSE, size, python(FLOOR_PARSE), max_runs=3),
        repeated(LIBYAML_PARSE, size, python(FLOOR_LIBYAML), max_runs=3),
    ]


def fresh_clone_since(repo: Path, size: int) -> Timing:
    """check --since HEAD in a new clone with one item changed: no cache, nothing remembered (CI)."""
    clone = HERE / "repos" / f"{size}-clone"

    def step():
        shutil.rmtree(clone, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", "--local", str(repo), str(clone)], check=True)
        changed = clone / item_files(clone)[size // 3]
        changed.write_bytes(changed.read_bytes() + b"note: fresh clone edit\n")
        seconds, peak, code = run_once([GONGKAI, "check", "--since", "HEAD"], clone)
        return seconds, peak, code in (0, 1)

    try:
        return repeated("check --since HEAD, fresh clone (1 changed)", size, step, max_runs=3)
    finally:
        shutil.rmtree(clone, ignore_errors=True)


def has_command(*names: str) -> bool:
    """Whether this gongkai has the (sub)command: asked of the command itself, so the language and
    layout of the help (localized, commands in capitals) do not matter."""
    return subprocess.run([GONGKAI, *names, "--help"], capture_output=True, check=False).returncode == 0


def has_option(option: str, *names: str) -> bool:
    done = subprocess.run([GONGKAI, "--lang", "en", *names, "--help"], capture_output=True, text=True, check=False)
    return option in done.stdout


def cold(repo: Path, size: int, schema_dir: Path) -> list[Timing]:
    """The floors, check-jsonschema and cold `check` (issue 21), side by side."""
    return floors(repo, size) + [
        repeated("check-jsonschema", size, check_jsonschema(repo, schema_dir), max_runs=3),
        repeated("check cold", size, gongkai(repo, "check", prepare=lambda: drop_cache(repo)), max_runs=3),
    ]


def commands(repo: Path, size: int, schema_dir: Path) -> list[Timing]:
    change = OneChange(repo)
    results = cold(repo, size, schema_dir) + [
        repeated("check warm", size, gongkai(repo, "check")),
    ]
    try:
        results.append(repeated("check (1 file changed)", size, gongkai(repo, "check", prepare=change.apply)))
        if has_option("--since", "check"):
            results.append(repeated("check --since HEAD (1 changed)", size,
                                    gongkai(repo, "check", "--since", "HEAD", prepare=change.apply)))
    finally:
        change.restore()
    results.append(fresh_clone_since(repo, size))
    if has_command("add") and has_command("disclose"):
        results.append(repeated("add --no-commit", size, gongkai(
            repo, "add", "--category", "work-news", "--unit", "fagaiwei", "--title", "示范县发展和改革委员会工作动态",
            "--formed", "2024-10-14", "--no-commit", prepare=lambda: added_file_cleanup(repo), codes=(0,))))
        added_file_cleanup(repo)
        rewind = Rewind(repo)
        try:
            results.append(repeated("add + commit", size, gongkai(
                repo, "add", "--category", "work-news", "--unit", "fagaiwei", "--title", "示范县发展和改革委员会工作动态",
                "--formed", "2024-10-14", prepare=rewind, codes=(0,))))
            results.append(repeated("disclose + commit", size, gongkai(
                repo, "disclose", undisclosed_item(repo), "--on", "2024-10-14", prepare=rewind, codes=(0,))))
        finally:
            rewind()
    results += [
        repeated("overdue", size, gongkai(repo, "overdue", "--as-of", AS_OF)),
        repeated("overdue (a new day)", size, each_day_anew(repo, "overdue")),
        repeated("due", size, gongkai(repo, "due", "--as-of", AS_OF)),
    ]
    if has_command("audit"):
        results.append(repeated("audit", size, gongkai(repo, "audit", "--quarter", "2024Q3", "--as-of", AS_OF)))
        results.append(repeated("audit (a new day)", size, each_day_anew(repo, "audit", "--quarter", "2024Q3")))
    results += [
        repeated("--help", size, gongkai(repo, "--help")),
        repeated("deadline", size, gongkai(repo, "deadline", "2024-09-23", "--workdays", "15")),
    ]
    return results


def repository(size: int) -> Path:
    repo = HERE / "repos" / str(size)
    if not (repo / "gongkai.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(repo)], check=True)
    return repo


def schemas(workdir: Path) -> Path:
    target = workdir / "schemas"
    subprocess.run([GONGKAI, "schema", "-o", str(target)], check=True, capture_output=True)
    return target


def table(results: list[Timing]) -> str:
    """Each command's time, its CPU time (both cores count), and its ratio to check-jsonschema and
    to the floors of the same run."""
    def of(name: str) -> dict[int, float]:
        return {t.size: t.seconds for t in results if t.name == name}

    baseline, parse, read = of("check-jsonschema"), of(BARE_PARSE), of(READ)
    lines = [("| N | command | median s | CPU s | runs | × faster than check-jsonschema | ÷ bare parse (yaml-rs) "
              "| ÷ reading the files | peak MB | ok |"),
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t in results:
        ratio = baseline.get(t.size, 0) / t.seconds if t.seconds else 0
        floor = t.seconds / parse[t.size] if parse.get(t.size) else 0
        reading = t.seconds / read[t.size] if read.get(t.size) else 0
        lines.append(f"| {t.size:,} | {t.name} | {t.seconds:.3f} | {t.cpu:.2f} | {t.runs} | {ratio:.1f} | {floor:.2f} | "
                     f"{reading:.2f} | {t.peak_mb:.0f} | {'yes' if t.ok else 'NO'} |")
    return "\n".join(lines)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{one:.2f}" for one in os.getloadavg())
    return (f"- date: {datetime.date.today().isoformat()}\n- nproc: {os.cpu_count()} ({cpu})\n"
            f"- memory: {memory:.1f} GiB\n- Python {platform.python_version()} on {platform.platform()}\n- {git}\n"
            f"- load average (1, 5, 15 min) at the start: {LOAD_AT_START}; at the end: {load} "
            "(the machine is shared: figures under load are slower than on an idle machine)\n")


LOAD_AT_START = ", ".join(f"{one:.2f}" for one in os.getloadavg())


def plot(results: list[Timing], path: Path) -> None:
    try:
        import matplotlib
    except ImportError:  # the figures are in RESULTS.md; the picture is only drawn where matplotlib is
        print("matplotlib not installed: bench/scaling.png left as it was")
        return

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name in ("check-jsonschema", "check cold", "check warm", "audit", "overdue"):
        points = sorted((t.size, t.seconds) for t in results if t.name == name)
        if points:
            axes.plot(*zip(*points), marker="o", label=name)
    axes.set(xscale="log", yscale="log", xlabel="item files (N)", ylabel="seconds (median)",
             title="gongkai on synthetic repositories")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


# (command, what it must reach, test on its Timing and {name: Timing} at the largest size)
TARGETS = [
    ("check cold", "≥ 10× faster than check-jsonschema (issue 21)", lambda t, m: _peer(m) / t.seconds >= 10),
    ("check cold", "≤ 2.5× the bare parse (issue 21)", lambda t, m: t.seconds <= 2.5 * m[BARE_PARSE].seconds),
    ("check warm", "≥ 20× faster than check-jsonschema", lambda t, m: _peer(m) / t.seconds >= 20),
    ("check (1 file changed)", "≤ 1.5× check warm (issue 22)", lambda t, m: t.seconds <= 1.5 * m["check warm"].seconds),
    ("check --since HEAD (1 changed)", "< 1 s", lambda t, m: t.seconds < 1),
    ("check --since HEAD, fresh clone (1 changed)", "≤ 1.5 s (issue 22)", lambda t, m: t.seconds <= 1.5),
    ("add + commit", "< 0.5 s", lambda t, m: t.seconds < 0.5),
    ("disclose + commit", "< 0.5 s", lambda t, m: t.seconds < 0.5),
    ("overdue", "< 2 s", lambda t, m: t.seconds < 2),
    ("due", "< 2 s", lambda t, m: t.seconds < 2),
    ("audit", "< 2 s", lambda t, m: t.seconds < 2),
    ("overdue (a new day)", "≤ 2 s (nothing remembered for the day)", lambda t, m: t.seconds <= 2),
    ("audit (a new day)", "≤ 2 s (nothing remembered for the day)", lambda t, m: t.seconds <= 2),
    ("--help", "< 0.3 s", lambda t, m: t.seconds < 0.3),
    ("deadline", "< 0.3 s", lambda t, m: t.seconds < 0.3),
]
PEAK_LIMIT_MB = 300


def _peer(measured: dict[str, Timing]) -> float:
    return measured["check-jsonschema"].seconds


def targets(results: list[Timing]) -> str:
    """The issues' targets, met or not, at the largest size measured."""
    size = max(t.size for t in results)
    measured = {t.name: t for t in results if t.size == size}
    peer = _peer(measured)
    lines = [f"At {size:,} items:", "", "| command | target | measured | met |", "|---|---|---:|---|"]
    for name, goal, met in TARGETS:
        if name in measured:
            t = measured[name]
            lines.append(f"| {name} | {goal} | {t.seconds:.3f} s ({_shown(t, goal, measured, peer)}) | "
                         f"{'yes' if met(t, measured) else 'no'} |")
    ours = [t for t in measured.values() if t.name != "check-jsonschema" and not t.name.startswith("floor")]
    heaviest = max(ours, key=lambda t: t.peak_mb)
    lines.append(f"| every command | peak memory < {PEAK_LIMIT_MB} MB | {heaviest.peak_mb:.0f} MB ({heaviest.name}) | "
                 f"{'yes' if heaviest.peak_mb < PEAK_LIMIT_MB else 'no'} |")
    return "\n".join(lines)


def _shown(timing: Timing, goal: str, measured: dict[str, Timing], peer: float) -> str:
    """The measure a target is stated in: the bare parse, check warm, or check-jsonschema."""
    if "bare parse" in goal:
        return f"{timing.seconds / measured[BARE_PARSE].seconds:.2f}× the bare parse"
    if "check warm" in goal and "check warm" in measured:
        return f"{timing.seconds / measured['check warm'].seconds:.2f}× check warm"
    return f"{peer / timing.seconds:.1f}× faster than check-jsonschema"


def report(results: list[Timing], sizes: list[int]) -> str:
    return (
        "# Benchmark results\n\n"
        f"`python bench/run.py --sizes {','.join(map(str, sizes))}` on repositories built by `bench/generate.py`"
        " (200 units, realistic items, seeded).\n\n"
        "## Machine\n\n" + machine() + "\n"
        "## Figures\n\n"
        "check-jsonschema validates the same item files against `gongkai schema -o DIR`'s item.schema.json,"
        f" in calls of {BATCH:,} files (the argument list limit); its time is the sum of the calls."
        " \"cold\" is without gongkai's cache (`.git/gongkai-cache/` removed); \"warm\" is nothing changed since"
        " the previous run, so remembered answers serve it (README, Speed). \"1 file changed\" edits one item"
        " differently before each run; \"a new day\" moves --as-of one day later before each run, so no"
        " remembered occurrences serve it. Each figure is the median of up to five runs."
        " Peak MB is the largest resident set of the command (ru_maxrss via wait4).\n\n"
        + table(results) + "\n\n## Targets (issues 9, 21, 22)\n\n" + targets(results) + "\n\n![scaling](scaling.png)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md and the PNG alone")
    parser.add_argument("--cold", action="store_true",
                        help="only the floors, check-jsonschema and cold check (issue 21); print only")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    workdir = HERE / "repos"
    workdir.mkdir(exist_ok=True)
    schema_dir = schemas(workdir)
    results: list[Timing] = []
    for size in sizes:
        results += (cold if options.cold else commands)(repository(size), size, schema_dir)
        print(table([t for t in results if t.size == size]), flush=True)
    print(targets(results), flush=True)
    if not (options.no_write or options.cold):
        (HERE / "RESULTS.md").write_text(report(results, sizes) + kept_sections(HERE / "RESULTS.md"), encoding="utf-8")
        plot(results, HERE / "scaling.png")
        print(f"wrote {HERE / 'RESULTS.md'} and {HERE / 'scaling.png'}")


KEPT = "![scaling](scaling.png)\n"  # the sections after it come from other scripts (bench/gate.py, …): kept


def kept_sections(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    return text[text.index(KEPT) + len(KEPT):] if KEPT in text else ""


if __name__ == "__main__":
    main()
