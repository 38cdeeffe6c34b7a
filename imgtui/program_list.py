"""The program list: one record per residency program the user considers, as the
shared IMG program sheets and FREIDA describe them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from .choices import (
    PROGRAM_STATUS_ALIASES,
    PROGRAM_STATUSES,
    PROGRAM_TIERS,
    PROGRAM_VISA_ALIASES,
    PROGRAM_VISAS,
    SPECIALTIES,
    SPECIALTY_ALIASES,
    TIER_ALIASES,
)
from .fields import FieldSpec, Record


@dataclass(slots=True, frozen=True)
class Program(Record):
    TABLE: ClassVar[str] = "programs"
    name: str = ""
    city: str = ""
    state: str = ""
    specialty: str = "internal_medicine"
    kind: str = "community"
    visa: str = "none"
    img_share: float | None = None
    grad_cutoff: str | None = None
    step2_min: int | None = None
    attempts_accepted: int | None = None
    usce_required: bool = False
    step3_for_h1b: bool = False
    signal: bool = False
    status: str = "researching"
    interview: date | None = None
    notes: str = ""
    source: str = ""
    checked: date | None = None
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("name", "Program", "text", "program or hospital name", required=True, maximum=160),
        FieldSpec("city", "City", "text", "", maximum=80, default=""),
        FieldSpec("state", "State", "text", "two letters, e.g. NY", maximum=40, default=""),
        FieldSpec(
            "specialty",
            "Specialty",
            "enum",
            "the program's specialty",
            choices=SPECIALTIES,
            aliases=SPECIALTY_ALIASES,
            default="internal_medicine",
            open=True,
        ),
        FieldSpec(
            "kind",
            "Kind",
            "enum",
            "academic, university-affiliated community, or community",
            choices=PROGRAM_TIERS,
            aliases=TIER_ALIASES,
            default="community",
        ),
        FieldSpec(
            "visa",
            "Visa",
            "enum",
            "visas it sponsors: none, J-1, or J-1 and H-1B",
            choices=PROGRAM_VISAS,
            aliases=PROGRAM_VISA_ALIASES,
            default="none",
        ),
        FieldSpec("img_share", "IMGs %", "float", "share of residents who are IMGs, in %", minimum=0, maximum=100),
        FieldSpec("grad_cutoff", "Grad cut-off", "cutoff", "years since graduation, or the earliest year"),
        FieldSpec("step2_min", "Step 2 min", "int", "stated Step 2 CK minimum", minimum=1, maximum=300),
        FieldSpec(
            "attempts_accepted",
            "Attempts OK",
            "int",
            "failed attempts it accepts (0: first-attempt passes only; blank: not stated)",
            minimum=0,
            maximum=6,
        ),
        FieldSpec("usce_required", "USCE req.", "bool", "US clinical experience required", default=False),
        FieldSpec("step3_for_h1b", "Step 3 for H-1B", "bool", "H-1B only with Step 3 passed", default=False),
        FieldSpec("signal", "Signal", "bool", "you sent it a program signal", default=False),
        FieldSpec(
            "status",
            "Status",
            "enum",
            "researching, applied, invited, interviewed, ranked or withdrawn",
            choices=PROGRAM_STATUSES,
            aliases=PROGRAM_STATUS_ALIASES,
            default="researching",
        ),
        FieldSpec("interview", "Interview", "date", "interview date"),
        FieldSpec("notes", "Notes", "text", "", maximum=2000, default=""),
        FieldSpec(
            "source", "Source", "text", "where the facts come from (FREIDA, website...)", maximum=200, default=""
        ),
        FieldSpec("checked", "Checked", "date", "when you last checked them"),
    )

    def describe(self) -> str:
        return f"program {self.name}"

    def cutoff(self) -> tuple[str, int] | None:
        """('years', 5) or ('year', 2019), or None when not stated."""
        if not self.grad_cutoff:
            return None
        number = int(self.grad_cutoff.split()[0])
        return ("years", number) if number <= 60 else ("year", number)
