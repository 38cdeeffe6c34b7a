"""The benchmark databases, with seeded randomness so every run measures the same file.

REALISTIC: about 3,000 records (two years of question-bank days, 60 exams, 500
sites, 1,500 inquiries, 40 letters), a heavy user's database. STRESS: about
10,000 (3 years of days, 300 exams, 2,000 sites, 6,000 inquiries, 200 letters).
Run on its own to write one: python benchmarks/large_db.py PATH [stress]
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from imgtui.records import (
    SETTINGS,
    SITE_STATUSES,
    SPECIALTIES,
    USCE_TYPES,
    Inquiry,
    Letter,
    PracticeExam,
    QbankDay,
    UsceSite,
)
from imgtui.store import Store

TODAY = date(2026, 11, 22)
REALISTIC = {"qbank_days": 2 * 365, "exams": 60, "sites": 500, "inquiries": 1500, "letters": 40}
STRESS = {"qbank_days": 3 * 365, "exams": 300, "sites": 2000, "inquiries": 6000, "letters": 200}
FORMS = ["NBME 9", "NBME 10", "NBME 11", "NBME 12", "NBME 13", "NBME 14", "NBME 15", "UWSA 1", "UWSA 2"]
CITIES = ["Chicago, IL", "Houston, TX", "Newark, NJ", "Brooklyn, NY", "Detroit, MI", "Miami, FL", "Tampa, FL"]
KINDS = ["Medical Center", "Community Hospital", "Clinic", "University Hospital", "Health System"]


def build(path: Path, counts: dict[str, int], today: date = TODAY, seed: int = 7) -> dict[str, int]:
    """Write a database of ``counts`` records to ``path`` (replacing it); returns the counts."""
    COUNTS = counts
    rng = random.Random(seed)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    store = Store(path)
    store.update_profile(
        {
            "step1_status": "pass",
            "graduation_year": 2023,
            "specialty": "internal_medicine",
            "program_tier": "community",
            "visa": "j1",
            "eras_year": 2027,
            "study_start": (today - timedelta(weeks=11)).isoformat(),
            "exam_date": (today + timedelta(weeks=9)).isoformat(),
        }
    )
    first_day = today - timedelta(days=COUNTS["qbank_days"])
    days = [
        QbankDay.from_input(
            {
                "day": first_day + timedelta(days=n),
                "done": (done := rng.randint(20, 120)),
                "correct": int(done * rng.uniform(0.5, 0.8)),
                "mode": rng.choice(["timed_random", "timed_random", "timed_system", "tutor"]),
            }
        )
        for n in range(COUNTS["qbank_days"])
    ]
    exams = [
        PracticeExam.from_input(
            {
                "form": rng.choice(FORMS),
                "taken": first_day + timedelta(days=n * COUNTS["qbank_days"] // COUNTS["exams"]),
                "score": min(280, 200 + n // 6 + rng.randint(-6, 6)),
                "notes": "weak: renal, biostats" if n % 3 == 0 else "",
            }
        )
        for n in range(COUNTS["exams"])
    ]
    sites = [
        UsceSite.from_input(
            {
                "name": f"{rng.choice(['St.', 'Mount', 'North', 'Lake', 'Valley'])} {n:04d} {rng.choice(KINDS)}",
                "city": rng.choice(CITIES),
                "specialty": rng.choice(SPECIALTIES[:6]),
                "usce_type": rng.choice(USCE_TYPES),
                "setting": rng.choice(SETTINGS),
                "has_residents": rng.random() < 0.6,
                "start": today + timedelta(days=rng.randint(-700, 300)),
                "weeks": rng.randint(2, 8),
                "cost": rng.choice([0, 500, 1500, 2500, 4000]),
                "hands_on": rng.random() < 0.5,
                "letter_potential": rng.random() < 0.4,
                "documentation": rng.random() < 0.7,
                "status": rng.choice(SITE_STATUSES),
                "contact_email": f"coordinator{n}@example.org",
                "notes": "requires 2 weeks notice" if n % 5 == 0 else "",
            }
        )
        for n in range(COUNTS["sites"])
    ]
    with store.change("Large benchmark database"):
        store.save_many(days, "days")
        store.save_many(exams, "exams")
        saved_sites = store.save_many(sites, "sites")
        inquiries = []
        for n in range(COUNTS["inquiries"]):
            sent = today - timedelta(days=rng.randint(0, 600))
            replied = sent + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.5 else None
            follow_ups = 0 if replied else rng.randint(0, 3)
            inquiries.append(
                Inquiry.from_input(
                    {
                        "site_id": saved_sites[n % len(saved_sites)].doc_id,
                        "sent": sent,
                        "contact": f"Dr. Contact {n}",
                        "email": f"contact{n}@example.org",
                        "subject": "Observership inquiry",
                        "replied": replied if replied and replied <= today else None,
                        "follow_ups": follow_ups,
                        "last_follow_up": sent + timedelta(days=7 * follow_ups) if follow_ups else None,
                    }
                )
            )
        store.save_many(inquiries, "inquiries")
        letters = [
            Letter.from_input(
                {
                    "writer": f"Dr. Writer {n}",
                    "site_id": saved_sites[(n * 7) % len(saved_sites)].doc_id,
                    "us_faculty": rng.random() < 0.8,
                    "specialty": "internal_medicine",
                    "asked": today - timedelta(days=rng.randint(0, 300)),
                    "agreed": rng.random() < 0.5,
                    "uploaded": rng.random() < 0.3,
                }
            )
            for n in range(COUNTS["letters"])
        ]
        store.save_many(letters, "letters")
    store.close()
    return dict(COUNTS)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "large.json")
    print(build(target, STRESS if sys.argv[2:] == ["stress"] else REALISTIC), target.stat().st_size, "bytes")
