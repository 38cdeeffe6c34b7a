"""The demo database: an IMG two years after graduation, mid-way through the core phase.

``python -m imgtui.demo data/demo.json`` regenerates the committed file.
``imgtui --demo`` copies it to a temporary folder and shifts its dates by whole
weeks so that the demo's reference day falls on today (weekdays stay right).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from .core.rules import data_dir
from .records import Inquiry, Letter, PracticeExam, Program, QbankDay, SiteDocument, UsceSite
from .store import Store

REFERENCE_DAY = date(2026, 11, 22)

PROFILE = {
    "step1_status": "pass",
    "step1_attempts": 0,
    "step2_status": "not_taken",
    "step2_attempts": 0,
    "graduation_year": 2024,
    "specialty": "internal_medicine",
    "program_tier": "community",
    "visa": "j1",
    "eras_year": 2027,
    "study_start": "2026-09-07",
    "exam_date": "2027-02-05",
    "qbank_size": 3600,
    "study_days_per_week": 6,
    "full_name": "Priya Raman",
    "email": "priya.raman@example.org",
    "phone": "+91 98 7654 3210",
    "medical_school": "Madras Medical College, India",
}

EXAMS = [
    ("NBME 9", "2026-09-09", 212, "weak: renal, biostatistics, ethics"),
    ("NBME 10", "2026-10-16", 219, "weak: renal, endocrine"),
    ("NBME 11", "2026-10-30", 224, "renal better; cardio strong"),
    ("NBME 12", "2026-11-13", 229, "weak: biostatistics"),
    ("Free 120", "2026-11-19", 66, "block 2 timing tight"),
]

# name, city, specialty, type, setting, residents, start, weeks, cost, hands_on, letter, docs, status, email, notes
SITES: list[tuple[Any, ...]] = [
    (
        "Mercy Teaching Hospital",
        "Chicago, IL",
        "internal_medicine",
        "externship",
        "teaching_hospital",
        True,
        "2027-03-01",
        4,
        1800,
        True,
        True,
        True,
        "booked",
        "imgoffice@mercy.example.org",
        "inpatient IM wards, presents daily",
    ),
    (
        "St. Mary [Main] Campus",
        "Newark, NJ",
        "internal_medicine",
        "observership_inpatient",
        "teaching_hospital",
        True,
        "2027-04-05",
        4,
        1200,
        False,
        True,
        True,
        "accepted",
        "gme@stmary.example.org",
        "structured observership, evaluation form",
    ),
    (
        "Lakeside Community Hospital",
        "Cleveland, OH",
        "internal_medicine",
        "externship",
        "community_hospital",
        True,
        "2027-05-03",
        4,
        2500,
        True,
        True,
        True,
        "applied",
        "extern@lakeside.example.org",
        "",
    ),
    (
        "Riverside University Medical Center",
        "Riverside, CA",
        "internal_medicine",
        "observership_inpatient",
        "teaching_hospital",
        True,
        "2027-06-07",
        4,
        0,
        False,
        True,
        True,
        "replied",
        "im.obs@riverside.example.edu",
        "free, competitive",
    ),
    (
        "Brookdale Cardiology Associates",
        "Brooklyn, NY",
        "internal_medicine",
        "observership_outpatient",
        "private_office",
        False,
        "2027-03-15",
        2,
        3000,
        False,
        False,
        False,
        "contacted",
        "info@brookdale-cardio.example.com",
        "guaranteed interview with partner programs",
    ),
    (
        "ClinicalPath USCE Online",
        "Remote",
        "internal_medicine",
        "tele_rotation",
        "virtual",
        False,
        None,
        2,
        900,
        False,
        False,
        True,
        "idea",
        None,
        "Zoom rounds with 25 students",
    ),
    (
        "Hope Family Clinic",
        "Houston, TX",
        "family_medicine",
        "observership_outpatient",
        "outpatient_clinic",
        False,
        "2027-07-05",
        4,
        1500,
        True,
        True,
        True,
        "contacted",
        "hope.clinic@example.org",
        "",
    ),
    (
        "Northwestern Valley Hospital",
        "Phoenix, AZ",
        "internal_medicine",
        "sub_internship",
        "teaching_hospital",
        True,
        None,
        4,
        3500,
        True,
        True,
        True,
        "contacted",
        "visiting@nvh.example.edu",
        "sub-I for IMGs in final year only?",
    ),
    (
        "Metro General Hospital",
        "Detroit, MI",
        "internal_medicine",
        "externship",
        "teaching_hospital",
        True,
        None,
        8,
        4000,
        True,
        True,
        True,
        "idea",
        None,
        "",
    ),
    (
        "Sunrise Internal Medicine PC",
        "Miami, FL",
        "internal_medicine",
        "shadowing",
        "private_office",
        False,
        None,
        2,
        2200,
        False,
        False,
        False,
        "idea",
        None,
        "we get you matched",
    ),
    (
        "Baystate IM Residency Program",
        "Springfield, MA",
        "internal_medicine",
        "observership_inpatient",
        "teaching_hospital",
        True,
        None,
        4,
        500,
        False,
        True,
        True,
        "idea",
        None,
        "",
    ),
    (
        "Pine Valley Neurology",
        "Tampa, FL",
        "neurology",
        "observership_inpatient",
        "teaching_hospital",
        True,
        "2026-06-01",
        4,
        1000,
        False,
        True,
        True,
        "completed",
        None,
        "finished; evaluation received",
    ),
    (
        "Greenfield Medical Center",
        "Albany, NY",
        "internal_medicine",
        "externship",
        "teaching_hospital",
        True,
        None,
        4,
        2000,
        True,
        True,
        True,
        "not_responding",
        "obs@greenfield.example.org",
        "",
    ),
    (
        "Harbor Hospital Observership",
        "Baltimore, MD",
        "internal_medicine",
        "observership_inpatient",
        "teaching_hospital",
        True,
        None,
        4,
        1500,
        False,
        True,
        False,
        "rejected",
        "harbor@example.org",
        "no J-1 candidates",
    ),
    (
        "County Hospital IM Externship",
        "Dallas, TX",
        "internal_medicine",
        "externship",
        "community_hospital",
        True,
        None,
        6,
        2800,
        True,
        True,
        False,
        "declined",
        None,
        "too expensive for 6 weeks",
    ),
]

# site index, sent, contact, subject, replied, follow_ups, last_follow_up
INQUIRIES = [
    (0, "2026-08-20", "Dr. Ana Ruiz", "IM externship March 2027", "2026-08-25", 0, None),
    (1, "2026-09-01", "GME office", "Observership April 2027", "2026-09-10", 1, "2026-09-08"),
    (2, "2026-10-20", "Extern coordinator", "Externship May 2027", "2026-11-02", 0, None),
    (3, "2026-11-05", "Dr. Lee", "Observership June 2027", "2026-11-12", 0, None),
    (4, "2026-11-10", "Office manager", "Observership March 2027", None, 0, None),
    (6, "2026-11-02", "Dr. Patel", "Clinic observership July 2027", None, 1, "2026-11-11"),
    (7, "2026-11-14", "Visiting student office", "Sub-internship 2027", None, 0, None),
    (12, "2026-09-15", "Obs coordinator", "Externship 2027", None, 2, "2026-10-06"),
    (13, "2026-09-20", "Program office", "Observership 2027", "2026-10-01", 0, None),
]

LETTERS = [
    ("Dr. Maria Gomez (Pine Valley Neurology)", 11, True, "neurology", "2026-06-22", True, True),
    ("Prof. Adeyemi (home internal medicine)", None, False, "internal_medicine", "2026-10-01", True, False),
]


def build_demo(path: Path) -> None:
    if path.exists():
        path.unlink()
    store = Store(path)
    store.update_profile(PROFILE, "Demo profile")
    for form, taken, score, notes in EXAMS:
        store.save(PracticeExam.from_input({"form": form, "taken": taken, "score": score, "notes": notes}))
    rng = random.Random(20261122)
    day = date(2026, 9, 8)
    days: list[QbankDay] = []
    while day < REFERENCE_DAY:
        if day.weekday() != 6 and rng.random() > 0.12:
            weeks_in = (day - date(2026, 9, 8)).days / 7
            done = rng.choice([40, 40, 45, 50, 60]) if weeks_in < 4 else rng.choice([50, 60, 66, 70, 80])
            rate = 0.50 + 0.0085 * weeks_in + rng.uniform(-0.05, 0.05)
            mode = "tutor" if weeks_in < 2 else rng.choice(["timed_random"] * 4 + ["timed_system"])
            days.append(QbankDay.from_input({"day": day, "done": done, "correct": round(done * rate), "mode": mode}))
        day += timedelta(days=1)
    store.save_many(days, "Demo question bank")
    site_ids: list[int] = []
    fields = [
        "name",
        "city",
        "specialty",
        "usce_type",
        "setting",
        "has_residents",
        "start",
        "weeks",
        "cost",
        "hands_on",
        "letter_potential",
        "documentation",
        "status",
        "contact_email",
        "notes",
    ]
    for row in SITES:
        site = store.save(UsceSite.from_input(dict(zip(fields, row, strict=False))))
        assert site.doc_id is not None
        site_ids.append(site.doc_id)
    for index, sent, contact, subject, replied, follow_ups, last in INQUIRIES:
        store.save(
            Inquiry.from_input(
                {
                    "site_id": site_ids[index],
                    "sent": sent,
                    "contact": contact,
                    "email": SITES[index][13],
                    "subject": subject,
                    "replied": replied,
                    "follow_ups": follow_ups,
                    "last_follow_up": last,
                }
            )
        )
    for writer, letter_site, us, specialty, asked, agreed, uploaded in LETTERS:
        store.save(
            Letter.from_input(
                {
                    "writer": writer,
                    "site_id": site_ids[letter_site] if letter_site is not None else None,
                    "us_faculty": us,
                    "specialty": specialty,
                    "asked": asked,
                    "agreed": agreed,
                    "uploaded": uploaded,
                }
            )
        )
    program_fields = ["name", "city", "state", "kind", "visa", "img_share", "grad_cutoff", "step2_min"]
    for row in PROGRAMS:
        values = dict(zip([*program_fields, "attempts_accepted", "status"], row, strict=True))
        store.save(Program.from_input({**values, "source": "demo data", "checked": "2026-11-01"}))
    # The booked rotation's checklist, partly done.
    for item, asked, handed in DOCUMENTS:
        values = {"site_id": site_ids[0], "name": item, "requested": asked, "sent": handed}
        store.save(SiteDocument.from_input(values))
    store.close()
    for leftover in (path.with_name(path.name + ".bak"), path.with_name(path.name + ".lock")):
        leftover.unlink(missing_ok=True)


# name, city, state, kind, visa, IMG %, graduation cut-off, Step 2 CK minimum, attempts accepted, status
PROGRAMS: list[tuple[Any, ...]] = [
    ("Mercy Teaching Hospital IM", "Chicago", "IL", "community", "j1_h1b", 70, "5 years", 225, 1, "researching"),
    ("Riverside University IM", "Riverside", "CA", "academic", "j1", 25, "3 years", 240, 0, "researching"),
    ("Lakeside Community IM", "Cleveland", "OH", "community", "j1", 60, "2019", 220, 1, "researching"),
    ("Baystate IM Residency", "Springfield", "MA", "university_affiliated", "j1", 45, "5 years", 230, 0, "researching"),
    ("Metro General IM", "Detroit", "MI", "community", "none", 55, None, None, None, "researching"),
    ("Northwestern Valley IM", "Phoenix", "AZ", "university_affiliated", "j1_h1b", 35, "2018", 232, 1, "researching"),
    ("Greenfield IM", "Albany", "NY", "community", "j1", 80, "10 years", None, 2, "researching"),
    ("Old Harbor IM", "Baltimore", "MD", "academic", "j1", 10, "1 years", 250, 0, "withdrawn"),
]

DOCUMENTS: list[tuple[str, str, str | None]] = [
    ("CV", "2026-11-10", "2026-11-12"),
    ("USMLE transcript", "2026-11-10", "2026-11-16"),
    ("Immunisation records", "2026-11-10", None),
]

DATE_FIELDS = {
    "profile": ("study_start", "exam_date"),
    "practice_exams": ("taken",),
    "qbank_days": ("day",),
    "usce_sites": ("start",),
    "inquiries": ("sent", "replied", "last_follow_up"),
    "letters": ("asked",),
    "documents": ("requested", "sent"),
    "programs": ("interview", "checked"),
}


def shifted_copy(source: Path, target: Path, today: date) -> int:
    """Copy the demo so its reference day is ``today`` (shift by whole weeks); returns days shifted."""
    shift = ((today - REFERENCE_DAY).days // 7) * 7
    data = orjson.loads(source.read_bytes())
    for table, fields in DATE_FIELDS.items():
        for doc in data.get(table, {}).values():
            for name in fields:
                if doc.get(name):
                    doc[name] = (date.fromisoformat(doc[name]) + timedelta(days=shift)).isoformat()
    profile = data.get("profile", {}).get("1")
    if profile and shift:
        profile["graduation_year"] = (date(profile["graduation_year"], 6, 1) + timedelta(days=shift)).year
        profile["eras_year"] = (date(profile["eras_year"], 6, 1) + timedelta(days=shift)).year
    target.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    return shift


def demo_copy(today: date | None = None) -> Path:
    """A fresh copy of the demo in a temporary folder (never the user's file)."""
    folder = Path(tempfile.mkdtemp(prefix="imgtui-demo-"))
    target = folder / "demo.json"
    source = data_dir() / "demo.json"
    if today is None:
        shutil.copy(source, target)
    else:
        shifted_copy(source, target, today)
    return target


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    build_demo(Path(sys.argv[1] if len(sys.argv) > 1 else data_dir() / "demo.json"))
