"""Benchmarks: printed figures, with stock TinyDB measured in the same run as the baseline.

Run: make bench   (or .venv/bin/python benchmarks/bench_store.py [records] [writes])
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tinydb import TinyDB

from imgtui.core.overview import build_overview, snapshot_from_store
from imgtui.core.rules import data_dir, default_rules
from imgtui.records import QbankDay
from imgtui.store import Store

RECORDS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
WRITES = int(sys.argv[2]) if len(sys.argv) > 2 else 200
DOC = {"day": "2026-01-01", "done": 40, "correct": 25, "mode": "timed_random"}


def per_op_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"median {statistics.median(ms):6.2f} ms   p90 {sorted(ms)[int(len(ms) * 0.9)]:6.2f} ms"


def bench_stock(folder: Path) -> list[float]:
    db = TinyDB(folder / "stock.json")
    table = db.table("qbank_days")
    table.insert_multiple([dict(DOC) for _ in range(RECORDS)])
    samples = []
    for _ in range(WRITES):
        start = time.perf_counter()
        table.insert(dict(DOC))
        samples.append(time.perf_counter() - start)
    db.close()
    return samples


def bench_imgtui(folder: Path) -> list[float]:
    store = Store(folder / "imgtui.json")
    store.save_many([QbankDay.from_input(DOC) for _ in range(RECORDS)], "seed")
    samples = []
    for _ in range(WRITES):
        record = QbankDay.from_input(DOC)
        start = time.perf_counter()
        store.save(record)
        samples.append(time.perf_counter() - start)
    store.close()
    return samples


def time_overview(store: Store, rounds: int) -> tuple[list[float], list[float]]:
    """Per round: seconds to read every record, and to plan and advise from them."""
    rules = default_rules()
    reads, plans = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        snapshot = snapshot_from_store(store)
        middle = time.perf_counter()
        build_overview(snapshot, date(2026, 11, 23), rules)
        reads.append(middle - start)
        plans.append(time.perf_counter() - middle)
    store.close()
    return reads, plans


def bench_overview(folder: Path) -> tuple[list[float], list[float]]:
    shutil.copy(data_dir() / "demo.json", folder / "demo.json")
    return time_overview(Store(folder / "demo.json"), 50)


def bench_large(folder: Path) -> tuple[list[float], list[float]]:
    """A heavy user: a year of question-bank days, 200 sites, 400 inquiries, 30 exams."""
    from datetime import timedelta

    from imgtui.records import Inquiry, PracticeExam, UsceSite

    store = Store(folder / "large.json")
    store.update_profile({"study_start": "2026-01-05", "exam_date": "2027-01-29", "eras_year": 2027})
    start = date(2026, 1, 5)
    store.save_many([QbankDay.from_input({**DOC, "day": start + timedelta(days=n)}) for n in range(365)], "days")
    store.save_many(
        [
            PracticeExam.from_input({"form": "NBME 10", "taken": start + timedelta(days=12 * n), "score": 210 + n})
            for n in range(30)
        ],
        "exams",
    )
    sites = store.save_many([UsceSite.from_input({"name": f"Site {n}", "weeks": 4}) for n in range(200)], "sites")
    store.save_many(
        [Inquiry.from_input({"site_id": sites[n % 200].doc_id, "sent": "2026-10-01"}) for n in range(400)],
        "inquiries",
    )
    return time_overview(store, 20)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stock = bench_stock(folder)
        ours = bench_imgtui(folder)
        reads, plans = bench_overview(folder)
        big_reads, big_plans = bench_large(folder)
    print(f"insert into a table of {RECORDS} records, {WRITES} inserts each")
    print(f"  stock TinyDB (in-place rewrite, no fsync)   {per_op_ms(stock)}")
    print(f"  imgtui Store (lock, temp+fsync+replace, bak) {per_op_ms(ours)}")
    ratio = statistics.median(ours) / statistics.median(stock)
    print(f"  imgtui / stock: {ratio:.2f}x")
    print("demo database (15 sites, 58 question-bank days)")
    print(f"  read all records into a snapshot            {per_op_ms(reads)}")
    print(f"  plan + decision + advice (build_overview)   {per_op_ms(plans)}")
    print("large database (365 question-bank days, 30 exams, 200 sites, 400 inquiries)")
    print(f"  read all records into a snapshot            {per_op_ms(big_reads)}")
    print(f"  plan + decision + advice (build_overview)   {per_op_ms(big_plans)}")


if __name__ == "__main__":
    main()
