"""imgtui performance benchmark: start-up, saves, key-to-frame latency and memory.

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

from large_db import COUNTS, TODAY, build  # noqa: E402
from tinydb import TinyDB  # noqa: E402

from imgtui import first_frame  # noqa: E402
from imgtui.records import PracticeExam  # noqa: E402
from imgtui.store import Store  # noqa: E402
from imgtui.ui.app import EXIT_AFTER_FIRST_FRAME, FIRST_FRAME_STAMP, ImgtuiApp  # noqa: E402


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
# with imgtui imported, must not be that parent.
LAUNCHER = """
import os, sys, time
if os.environ.get("BENCH_CPU"):  # the one-CPU runs: the process and its children on one CPU
    os.sched_setaffinity(0, {int(os.environ["BENCH_CPU"])})
stamp = os.environ.get("IMGTUI_FIRST_FRAME_STAMP")
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
end = time.perf_counter()
try:  # the child's clock at its first frame (perf_counter: the system's monotonic clock)
    with open(stamp) as handle:
        frame = float(handle.read()) - start
    os.unlink(stamp)
except (TypeError, OSError, ValueError):
    frame = -1.0
print(end - start, frame, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


class Run(NamedTuple):
    seconds: float  # fork to exit
    frame_seconds: float  # fork to the first frame drawn (-1 when the process wrote no stamp)
    megabytes: float  # peak RSS


def run_process(command: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Times (whole process, and to the first frame) and peak RSS in MB (from the child's own rusage)."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *command],
        env={**env, FIRST_FRAME_STAMP: str(cwd / "first-frame.stamp")},
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    try:
        seconds, frame, kib, code = done.stdout.split()
    except ValueError:
        raise SystemExit(f"launcher failed: {done.stderr[-2000:]}") from None
    if int(code) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}): {done.stderr[-2000:]}")
    return Run(float(seconds), float(frame), int(kib) / 1024)  # Linux reports KiB


SETTLE_SECONDS = 1.5  # the records are loaded right after the first frame; this lets them arrive


def bench_startup(db: Path, runs: int, folder: Path) -> list[Row]:
    """Whole processes, interleaved: the bare app, imgtui with Today's cache, imgtui without it;
    each also on one CPU (a start without the cache computes Today in a second process).

    Start-up is timed from the fork to the first frame drawn (each process writes its
    clock then), not to the exit: after the frame the bare app spends ~70 ms tearing
    down its objects and imgtui, which froze its start-up objects, ~12 ms."""
    env = {**os.environ, EXIT_AFTER_FIRST_FRAME: "0", "HOME": str(folder)}
    env.pop("IMGTUI_DB", None)
    one_cpu = {**env, "BENCH_CPU": str(min(os.sched_getaffinity(0)))}
    settled = {**env, EXIT_AFTER_FIRST_FRAME: str(SETTLE_SECONDS)}
    session = {key: value for key, value in env.items() if key != EXIT_AFTER_FIRST_FRAME}  # quits by itself
    imgtui_cmd = [str(Path(sys.executable).parent / "imgtui"), "--db", str(db), "--today", TODAY.isoformat()]
    bare_cmd = [sys.executable, str(HERE / "bare_app.py")]
    cache = first_frame.cache_path(db)
    kinds = ["bare", "warm", "cold", "bare1", "warm1", "cold1"]  # 1: on one CPU
    figures: dict[str, list[float]] = {key: [] for kind in kinds for key in (kind, f"{kind}_process", f"{kind}_mb")}
    settled_mb: list[float] = []
    every_pane_mb: list[float] = []
    every_pane_cmd = [sys.executable, str(HERE / "every_pane.py"), str(db), TODAY.isoformat()]
    commands = {"bare": bare_cmd, "cold": imgtui_cmd, "warm": imgtui_cmd}
    commands.update({f"{kind}1": command for kind, command in commands.items()})
    run_process(imgtui_cmd, env, folder)  # writes Today's cache for the first warm start
    for attempt in range(runs + 1):  # the first round warms the page cache and is dropped
        turn = attempt % len(kinds)
        rounds = {}
        for kind in kinds[turn:] + kinds[:turn]:  # each kind takes each place in a round in turn
            if kind.startswith("cold"):
                cache.unlink(missing_ok=True)  # as on a start after days away, or after an upgrade
            elif kind.startswith("warm"):
                assert cache.exists(), "every start computes Today and keeps its lines"
            rounds[kind] = run_process(commands[kind], one_cpu if kind.endswith("1") else env, folder)
        if attempt:
            for key, run in rounds.items():
                if run.frame_seconds < 0:
                    raise SystemExit(f"{key}: no first-frame stamp was written")
                figures[key].append(run.frame_seconds * 1000)
                figures[f"{key}_process"].append(run.seconds * 1000)
                figures[f"{key}_mb"].append(run.megabytes)
            settled_mb.append(run_process(imgtui_cmd, settled, folder).megabytes)
            every_pane_mb.append(run_process(every_pane_cmd, session, folder).megabytes)

    def ratio(key: str, base: str) -> float:
        return paired_ratio(figures[key], figures[base])

    bare_t, bare_m = figures["bare"], figures["bare_mb"]
    settled_ratio = paired_ratio(settled_mb, bare_m)
    return [
        Row(
            "start-up to first drawn Today (Today cache)",
            figures["warm"],
            bare_t,
            "ms",
            "<= 1.3x bare app",
            ratio("warm", "bare") <= 1.3,
        ),
        Row(
            "start-up to first drawn Today (no cache)",
            figures["cold"],
            bare_t,
            "ms",
            "<= 1.3x bare app",
            ratio("cold", "bare") <= 1.3,
        ),
        Row(
            "start-up on one CPU (Today cache)",
            figures["warm1"],
            figures["bare1"],
            "ms",
            "<= 1.3x bare app",
            ratio("warm1", "bare1") <= 1.3,
        ),
        Row(
            "start-up on one CPU (no cache)",
            figures["cold1"],
            figures["bare1"],
            "ms",
            "<= 1.3x bare app",
            ratio("cold1", "bare1") <= 1.3,
        ),
        Row(
            "whole process, quit at the first frame (Today cache)",
            figures["warm_process"],
            figures["bare_process"],
            "ms",
            "(shown only)",
            None,
        ),
        Row(
            "whole process, quit at the first frame (no cache)",
            figures["cold_process"],
            figures["bare_process"],
            "ms",
            "(shown only)",
            None,
        ),
        Row(
            "peak RSS at the first frame (Today cache)",
            figures["warm_mb"],
            bare_m,
            "MB",
            "<= 1.5x bare app",
            ratio("warm_mb", "bare_mb") <= 1.5,
        ),
        Row(
            "peak RSS at the first frame (no cache)",
            figures["cold_mb"],
            bare_m,
            "MB",
            "<= 1.5x bare app",
            ratio("cold_mb", "bare_mb") <= 1.5,
        ),
        Row(
            f"peak RSS {SETTLE_SECONDS:g} s after start (records loaded)",
            settled_mb,
            bare_m,
            "MB",
            "<= 1.5x bare app",
            settled_ratio <= 1.5,
        ),
        Row(
            "peak RSS after opening every pane (USCE sheet filled)",
            every_pane_mb,
            bare_m,
            "MB",
            "<= 1.5x bare app",
            paired_ratio(every_pane_mb, bare_m) <= 1.5,
        ),
    ]


# ---------------------------------------------------------------- durable saves


def bench_saves(db: Path, runs: int, folder: Path) -> tuple[Row, Row]:
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
    ratio = paired_ratio(ours, base)  # each save beside a stock insert
    median_ok = statistics.median(ours) < 20
    p95_row = Row("  95th percentile", [p95(ours)], [p95(base)], "ms", "", None)
    return (
        Row(
            "one durable saved change (log an exam)",
            ours,
            base,
            "ms",
            "<= 1.5x stock, < 20 ms",
            ratio <= 1.5 and median_ok,
        ),
        p95_row,
    )


# ---------------------------------------------------------------- key press to next frame


class TimedApp(ImgtuiApp):
    """Stamps each frame for which ``ready()`` holds: the frame that shows the key's result."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ready: Callable[[], bool] | None = None
        self.shown_at: float | None = None

    def post_display_hook(self) -> None:
        super().post_display_hook()  # loads the records after the first frame
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


async def bench_first_show(db: Path, runs: int) -> Row:
    """The first '4' of a session: the USCE pane is mounted then, and its 2,000 rows filled."""
    from imgtui.ui.widgets.sheet import Sheet

    samples = []
    for _ in range(runs):
        app = TimedApp(Store(db), today=TODAY, poll_seconds=0)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause(0.3)
            assert not app.query("#sites"), "the USCE pane is mounted when first shown"

            def shown(app: TimedApp = app) -> bool:
                found = app.query("#sites")
                return bool(found) and found.first(Sheet).row_count == COUNTS["sites"]

            samples.append(await app.press_until_shown(pilot, "4", shown, "the USCE sheet"))
        app.store.close()
    return Row("key to frame: first switch to USCE (mount + fill 2,000 rows)", samples, None, "ms", "not set", None)


async def bench_keys(db: Path, runs: int) -> list[Row]:
    from imgtui.ui.widgets.usce import UscePane

    store = Store(db)
    app = TimedApp(store, today=TODAY, poll_seconds=0)
    samples: dict[str, list[float]] = {"cursor": [], "sort": [], "filter": [], "edit": []}
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("4")
        await pilot.pause(0.2)
        pane = app.query_one(UscePane)
        sites = pane.sites_table
        for _ in range(100):
            await pilot.pause(0.05)
            if sites.row_count == COUNTS["sites"]:
                break
        assert sites.row_count == COUNTS["sites"], sites.row_count
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
                return app.screen is app.screen_stack[0] and sites.get_row_at(row)[6].plain == weeks

            samples["edit"].append(await timed("enter", saved))
    store.close()
    return [
        Row(
            "key to frame: cursor move (2,000 rows)",
            samples["cursor"],
            None,
            "ms",
            "< 50 ms",
            statistics.median(samples["cursor"]) < 50,
        ),
        Row(
            "key to frame: sort by a column",
            samples["sort"],
            None,
            "ms",
            "< 150 ms",
            statistics.median(samples["sort"]) < 150,
        ),
        Row(
            "key to frame: one filter character",
            samples["filter"],
            None,
            "ms",
            "< 100 ms",
            statistics.median(samples["filter"]) < 100,
        ),
        Row(
            "key to frame: edit a cell + durable save",
            samples["edit"],
            None,
            "ms",
            "< 100 ms",
            statistics.median(samples["edit"]) < 100,
        ),
    ]


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
    # Byte-compile imgtui as pip does for an installed package: with PYTHONDONTWRITEBYTECODE
    # set (as on some machines) an editable checkout would otherwise compile on every start.
    compileall.compile_dir(str(HERE.parent / "imgtui"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="imgtui-bench-") as tmp:
        folder = Path(tmp)
        db = folder / "large.json"
        started = time.perf_counter()
        build(db)
        print(
            f"large database: {', '.join(f'{v:,} {k}' for k, v in COUNTS.items())}; "
            f"{db.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        parts = set(args.only.split(","))
        rows: list[Row] = []
        if "startup" in parts:
            rows += bench_startup(db, runs, folder)
            print("start-up measured", flush=True)
        if "saves" in parts:
            rows += bench_saves(db, max(runs, 30), folder)
            print("saves measured", flush=True)
        if "keys" in parts:
            keys_db = folder / "keys.json"
            shutil.copy(db, keys_db)
            rows += asyncio.run(bench_keys(keys_db, runs))
            rows.append(asyncio.run(bench_first_show(keys_db, runs)))
    counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in COUNTS.items())
    units = "Each figure: the median, with (min-max) of the runs."
    report = (
        f"# imgtui benchmark\n\nMeasured {datetime.now():%Y-%m-%d %H:%M} on {machine()}.\n\n"
        f"Large database: {counts}. "
        f"Runs per measure: {runs} (saves: {max(runs, 30)}). {units}\n\n{table(rows)}\n\n"
        "Ratios: the median of the ratios of runs made side by side (start-ups in the same round, each save "
        "beside a stock insert), so the machine's drifting load cancels out. "
        "Baselines: a bare Textual app showing one Static (start-up, memory); stock TinyDB JSONStorage inserting "
        "the same document into the same data (saves). Start-up: from the fork to the first frame drawn (each "
        "process writes its clock then; both quit right after it); the whole-process times are shown beside. "
        "Key-to-frame: from the key press to the first frame that "
        "shows its result (App.post_display_hook), headless, 160x45.\n"
    )
    args.out.write_text(report)
    print()
    print(table(rows))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
