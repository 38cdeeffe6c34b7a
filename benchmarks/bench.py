"""imgtui performance benchmark: start-up, Today, saves, key-to-frame latency and memory,
on a realistic database (about 3,000 records) and a stress one (about 10,000).

Every imgtui figure is measured beside its baseline in the same run (a bare
Textual app, stock TinyDB), because the machines are shared and noisy; the
budget is checked by reading the table, not by a timed test.

Run: make bench   (or .venv/bin/python benchmarks/bench.py [--runs N] [--out FILE])
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from large_db import REALISTIC, STRESS, TODAY, build  # noqa: E402
from tinydb import TinyDB  # noqa: E402

from imgtui.planner import Planner  # noqa: E402
from imgtui.records import PracticeExam  # noqa: E402
from imgtui.store import Store  # noqa: E402
from imgtui.ui.app import ImgtuiApp  # noqa: E402

# The budgets of each database: start-up to the first frame against the bare app,
# Today filled after it, key press to frame in the USCE sheet, a durable save, peak memory.
BUDGETS = {
    "realistic": {"frame": 1.15, "today_ms": 150, "key_ms": 50, "save_ms": 15, "memory": 1.5},
    "stress": {"frame": 1.3, "today_ms": 400, "key_ms": 100, "save_ms": None, "memory": None},
}


@dataclass
class Row:
    """One line of the results table."""

    what: str
    ours: list[float]  # samples, in the unit below
    base: list[float] | None
    unit: str
    budget: str
    met: bool | None

    def cells(self) -> list[str]:
        def fig(samples: list[float]) -> str:
            return f"{statistics.median(samples):.1f} {self.unit} ({min(samples):.1f}-{max(samples):.1f})"

        ratio = f"{paired_ratio(self.ours, self.base):.2f}x" if self.base else ""
        verdict = "" if self.met is None else ("met" if self.met else "MISSED")
        return [self.what, fig(self.ours), fig(self.base) if self.base else "", ratio, self.budget, verdict]


def paired_ratio(ours: list[float], base: list[float]) -> float:
    """The median of the ratios of samples taken side by side (the same round): on a
    shared machine the load drifts from round to round, and a ratio of two medians
    taken apart mixes that drift into the result."""
    if len(ours) != len(base):
        return statistics.median(ours) / statistics.median(base)
    return statistics.median(o / b for o, b in zip(ours, base, strict=True))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# ---------------------------------------------------------------- whole processes


# A tiny parent for each measured process: a child's peak RSS includes the memory of the
# process it was forked from (Linux keeps maxrss across exec), so the benchmark itself,
# with imgtui imported, must not be that parent. It prints the child's times, relative
# to the fork: its first frame and Today filled (read from the stamp file it wrote).
LAUNCHER = """
import os, sys, time
stamp = sys.argv[1]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(stamp) as handle:
    frame, today = (float(t) - start for t in handle.read().split())
os.unlink(stamp)
print(frame, today, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


class Run(NamedTuple):
    frame_ms: float  # fork to the first frame drawn
    today_ms: float  # fork to Today's lines drawn (the bare app: its first frame)
    megabytes: float  # peak RSS


def run_process(command: list[str], folder: Path) -> Run:
    stamp = folder / "stamp"
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, str(stamp), *command],
        env={**os.environ, "HOME": str(folder)},
        cwd=folder,
        capture_output=True,
        text=True,
    )
    try:
        frame, today, kib, code = done.stdout.split()
    except ValueError:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-2000:]}") from None
    if int(code) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}): {done.stderr[-2000:]}")
    return Run(float(frame) * 1000, float(today) * 1000, int(kib) / 1024)  # Linux reports KiB


def bench_startup(name: str, db: Path, runs: int, folder: Path) -> list[Row]:
    """Whole processes, interleaved round by round: the bare app, then imgtui."""
    budget = BUDGETS[name]
    python = sys.executable
    bare = [python, str(HERE / "bare_app.py"), str(folder / "stamp")]
    ours = [python, str(HERE / "started_app.py"), str(db), TODAY.isoformat(), str(folder / "stamp")]
    base_runs, our_runs, pane_runs = [], [], []
    for _ in range(runs):
        base_runs.append(run_process(bare, folder))
        our_runs.append(run_process(ours, folder))
        pane_runs.append(run_process([*ours, "every-pane"], folder))
    frames = [r.frame_ms for r in our_runs]
    bare_frames = [r.frame_ms for r in base_runs]
    filled = [r.today_ms - r.frame_ms for r in our_runs]
    rows = [
        Row(
            f"{name}: start-up to the first frame",
            frames,
            bare_frames,
            "ms",
            f"<= {budget['frame']}x bare app",
            paired_ratio(frames, bare_frames) <= budget["frame"],
        ),
        Row(
            f"{name}: Today filled, after the first frame",
            filled,
            None,
            "ms",
            f"< {budget['today_ms']} ms",
            statistics.median(filled) < budget["today_ms"],
        ),
    ]
    memory = [r.megabytes for r in pane_runs]
    bare_memory = [r.megabytes for r in base_runs]
    limit = budget["memory"]
    rows.append(  # the panes not shown are not built: a look at Today costs this
        Row(
            f"{name}: peak RSS, Today only",
            [r.megabytes for r in our_runs],
            bare_memory,
            "MB",
            "(shown only)",
            None,
        )
    )
    rows.append(
        Row(
            f"{name}: peak RSS, every pane opened",
            memory,
            bare_memory,
            "MB",
            f"<= {limit}x bare app" if limit else "(shown only)",
            paired_ratio(memory, bare_memory) <= limit if limit else None,
        )
    )
    return rows


def bench_saves(name: str, db: Path, runs: int, folder: Path) -> list[Row]:
    """One practice exam saved, imgtui's Store against stock TinyDB's JSONStorage insert, alternating."""
    ours_path, stock_path = folder / "ours.json", folder / "stock.json"
    shutil.copy(db, ours_path)
    shutil.copy(db, stock_path)
    store = Store(ours_path)
    stock = TinyDB(stock_path)
    table = stock.table(PracticeExam.TABLE)
    ours, base = [], []
    for n in range(runs + 2):
        exam = PracticeExam.from_input({"form": "NBME 13", "taken": TODAY, "score": 230 + n % 20})
        doc = exam.to_doc()
        start = time.perf_counter()
        table.insert(doc)
        middle = time.perf_counter()
        store.save(exam, "Log practice exam")
        end = time.perf_counter()
        if n >= 2:  # the first writes of each change the file's layout (stock rewrites it compact)
            base.append((middle - start) * 1000)
            ours.append((end - middle) * 1000)
    stock.close()
    store.close()
    limit = BUDGETS[name]["save_ms"]
    return [
        Row(
            f"{name}: one durable saved change (log an exam)",
            ours,
            base,
            "ms",
            f"< {limit} ms median" if limit else "(shown only)",
            statistics.median(ours) < limit if limit else None,
        ),
        Row("  95th percentile", [p95(ours)], [p95(base)], "ms", "", None),
    ]


# ---------------------------------------------------------------- key press to next frame


class TimedApp(ImgtuiApp):
    """Stamps each frame for which ``ready()`` holds: the frame that shows the key's result."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ready: Callable[[], bool] | None = None
        self.shown_at: float | None = None

    def post_display_hook(self) -> None:
        if self.ready is not None and self.shown_at is None and self.ready():
            self.shown_at = time.perf_counter()

    async def press_until_shown(self, pilot: Any, key: str, ready: Callable[[], bool], what: str) -> float:
        """Milliseconds from pressing ``key`` to the first frame for which ``ready()`` holds.

        Not ``await pilot.press()`` alone: it returns when the messages are handled,
        not when the frame is drawn."""
        self.ready, self.shown_at = ready, None
        start = time.perf_counter()
        await pilot.press(key)
        for _ in range(5000):
            if self.shown_at is not None:
                break
            await asyncio.sleep(0.001)
        self.ready = None
        if self.shown_at is None:
            raise SystemExit(f"no frame showed {what}")
        return (self.shown_at - start) * 1000


async def bench_keys(name: str, db: Path, runs: int, sites_count: int) -> list[Row]:
    from imgtui.ui.widgets.usce import UscePane

    store = Store(db)
    app = TimedApp(Planner(store, today=TODAY), poll_seconds=0)
    samples: dict[str, list[float]] = {"cursor": [], "sort": [], "filter": [], "edit": []}
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("4")
        await pilot.pause(0.2)
        pane = app.pane_screen.query_one(UscePane)
        sites = pane.sites_table
        for _ in range(100):
            await pilot.pause(0.05)
            if sites.row_count == sites_count:
                break
        assert sites.row_count == sites_count, sites.row_count
        pane.query_one("#site-filter").cursor_blink = False  # a blinking cursor draws frames of its own

        async def timed(key: str, ready: Callable[[], bool]) -> float:
            app.clear_notifications()
            await pilot.pause(0.15)  # let earlier frames and toasts settle
            return await app.press_until_shown(pilot, key, ready, f"the result of {key!r}")

        for n in range(runs):
            key = "down" if n % 2 == 0 else "up"
            row = sites.cursor_row + (1 if key == "down" else -1)
            samples["cursor"].append(await timed(key, lambda row=row: sites.cursor_row == row))
        for n in range(runs):
            column = [0, 2, 5, 7, 11, 13][n % 6]
            sites.move_cursor(column=column)
            await pilot.pause()
            before = pane.sort_column, pane.sort_reverse
            samples["sort"].append(
                await timed("s", lambda before=before: (pane.sort_column, pane.sort_reverse) != before)
            )
        await pilot.press("slash")
        typed = ""
        for char in "lake 00"[: max(runs, 1)]:
            typed += char
            target = typed.strip()
            samples["filter"].append(
                await timed("space" if char == " " else char, lambda t=target: pane.filter_text == t)
            )
        await pilot.press("escape")
        await pilot.pause()
        sites.move_cursor(row=0, column=6)  # Wks
        for n in range(runs):
            sites.move_cursor(row=n)
            await pilot.press("enter")
            await pilot.pause(0.1)
            weeks = str(2 + (n % 6))
            await pilot.press("end", "ctrl+u", *weeks)
            row = n

            def saved(row: int = row, weeks: str = weeks) -> bool:
                return app.screen is app.pane_screen and sites.get_row_at(row)[6].plain == weeks

            samples["edit"].append(await timed("enter", saved))
    store.close()
    limit = BUDGETS[name]["key_ms"]
    what = {
        "cursor": f"cursor move ({sites_count:,} rows)",
        "sort": "sort by a column",
        "filter": "one filter character",
        "edit": "edit a cell + durable save",
    }
    return [
        Row(
            f"{name}: key to frame, {what[key]}",
            found,
            None,
            "ms",
            f"< {limit} ms",
            statistics.median(found) < limit,
        )
        for key, found in samples.items()
    ]


def bench_first_visit(name: str, db: Path, runs: int, sites_count: int) -> Row:
    """Key to frame for the tracker's first visit, its screen built then: each run a
    process of its own, as a user's session is."""
    command = [sys.executable, str(HERE / "first_visit_app.py"), str(db), TODAY.isoformat(), str(sites_count)]
    samples = []
    for _ in range(runs):
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HOME": str(db.parent)})
        try:
            samples.append(float(done.stdout.split()[-1]))
        except (IndexError, ValueError):
            raise SystemExit(f"first visit failed: {done.stderr[-2000:]}") from None
    limit = BUDGETS[name]["key_ms"]
    return Row(
        f"{name}: key to frame, first visit to the tracker ({sites_count:,} sites)",
        samples,
        None,
        "ms",
        f"< {limit} ms",
        statistics.median(samples) < limit,
    )


# ---------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"textual {version('textual')}, tinydb {version('tinydb')}"
    )


def table(rows: list[Row]) -> str:
    header = ["measure", "imgtui median (min-max)", "baseline median (min-max)", "ratio", "budget", "verdict"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (at least 5)")
    parser.add_argument(
        "--only", default="startup,saves,keys", help="comma-separated parts to run: startup, saves, keys"
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where the table is written")
    args = parser.parse_args()
    runs = max(5, args.runs)
    parts = set(args.only.split(","))
    # Compiled as pip compiles an installed package: with PYTHONDONTWRITEBYTECODE set, or
    # after an edit, every start would otherwise pay for compiling imgtui again.
    compileall.compile_dir(str(HERE.parent / "imgtui"), quiet=1)
    rows: list[Row] = []
    sizes = []
    with tempfile.TemporaryDirectory(prefix="imgtui-bench-") as tmp:
        folder = Path(tmp)
        for name, counts in (("realistic", REALISTIC), ("stress", STRESS)):
            db = folder / f"{name}.json"
            build(db, counts)
            sizes.append(
                f"{name}: {', '.join(f'{v:,} {k.replace(chr(95), chr(32))}' for k, v in counts.items())} "
                f"({sum(counts.values()):,} records, {db.stat().st_size / 1e6:.1f} MB)"
            )
            print(sizes[-1], flush=True)
            if "startup" in parts:
                rows += bench_startup(name, db, runs, folder)
            if "saves" in parts:
                rows += bench_saves(name, db, max(runs, 30), folder)
            if "keys" in parts:
                keys_db = folder / "keys.json"
                shutil.copy(db, keys_db)
                rows += asyncio.run(bench_keys(name, keys_db, runs, counts["sites"]))
                rows.append(bench_first_visit(name, keys_db, runs, counts["sites"]))
    units = "Each figure: the median, with (min-max) of the runs."
    report = (
        f"# imgtui benchmark\n\nMeasured {datetime.now():%Y-%m-%d %H:%M} on {machine()}.\n\n"
        + "".join(f"- {line}\n" for line in sizes)
        + f"\nRuns per measure: {runs} (saves: {max(runs, 30)}). {units}\n\n{table(rows)}\n\n"
        "Ratios: the median of the ratios of runs made side by side (start-ups in the same round, each save "
        "beside a stock insert), so the machine's drifting load cancels out. "
        "Baselines: a bare Textual app showing one Static (start-up, memory); stock TinyDB JSONStorage inserting "
        "the same document into the same data (saves). Start-up: from the fork to the first frame drawn; Today "
        "filled: from that frame to the frame after the loading worker's overview arrived. Peak memory: the "
        "whole process, after Today only (the panes not shown are not built) and after showing every pane. "
        "Key-to-frame: from the key press to the first frame that "
        "shows its result (App.post_display_hook), headless, 160x45; the tracker's first visit: a process of its "
        "own, 4 pressed once Today is filled, headless at 80x24.\n"
    )
    args.out.write_text(report)
    print()
    print(table(rows))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
