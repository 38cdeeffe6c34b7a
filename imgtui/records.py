"""The stored records: profile, practice exams, question-bank days, USCE sites,
inquiries and letters, each a dataclass of fields declared once (``FIELDS``).

Field parsing and the record base live in fields.py, the accepted choices in
choices.py; both are re-exported here, where callers look for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from .choices import *  # noqa: F403 - re-exported: callers import choices from records
from .choices import (
    COST_FIELDS,
    EXAM_MODES,
    MODE_ALIASES,
    PROGRAM_TIERS,
    REPLY_GIST_ALIASES,
    REPLY_GISTS,
    SCALE_ALIASES,
    SCALES,
    SETTING_ALIASES,
    SETTINGS,
    SITE_SPECIALTIES,
    SITE_SPECIALTY_ALIASES,
    SITE_STATUSES,
    SPECIALTIES,
    SPECIALTY_ALIASES,
    STATUS_ALIASES,
    STEP1_ALIASES,
    STEP1_STATUS,
    STEP2_ALIASES,
    STEP2_STATUS,
    TIER_ALIASES,
    USCE_TYPE_ALIASES,
    USCE_TYPES,
    VISA_ALIASES,
    VISAS,
)
from .fields import *  # noqa: F403 - re-exported: callers import fields from records
from .fields import FieldSpec, Record, ValidationError
from .practice_forms import FORM_SUGGESTIONS as FORM_SUGGESTIONS  # re-exported: callers look here
from .practice_forms import FormInfo as FormInfo
from .practice_forms import form_info as form_info
from .practice_forms import is_full_length as is_full_length
from .practice_forms import is_percentage_form as is_percentage_form
from .practice_forms import normalise_form as normalise_form
from .program_list import Program as Program
from .site_documents import SiteDocument as SiteDocument


def _score_spec(name: str, label: str, required: bool = False, help: str = "three-digit USMLE score") -> FieldSpec:
    return FieldSpec(name, label, "int", help, required, 1, 300)


# ---------------------------------------------------------------- profile


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class Profile(Record):
    TABLE: ClassVar[str] = "profile"
    step1_status: str = "pending"
    step1_score: int | None = None
    step1_attempts: int = 0
    step2_status: str = "not_taken"
    step2_score: int | None = None
    step2_attempts: int = 0
    graduation_year: int | None = None
    specialty: str | None = None  # not chosen yet: no target is shown before
    program_tier: str | None = None
    visa: str = "none"
    eras_year: int | None = None
    study_start: date | None = None
    exam_date: date | None = None
    target_score: int | None = None
    qbank_size: int = 3600
    study_days_per_week: int = 6
    days_off: tuple[date, ...] = ()
    follow_up_days: int = 7
    exam_delays: int = 0
    full_name: str = ""
    email: str | None = None
    phone: str = ""
    medical_school: str = ""
    calendar_file: str = ""
    usce_budget: float | None = None
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec(
            "step1_status",
            "Step 1 status",
            "enum",
            "pending, pass (first attempt), pass after a fail, a legacy numeric score, or fail",
            choices=STEP1_STATUS,
            aliases=STEP1_ALIASES,
            default="pending",
        ),
        _score_spec("step1_score", "Step 1 score", help="three-digit score of a legacy numeric Step 1 result"),
        FieldSpec(
            "step1_attempts",
            "Step 1 failed attempts",
            "int",
            "how many times Step 1 was failed (0 when passed on the first try)",
            minimum=0,
            maximum=6,
            default=0,
        ),
        FieldSpec(
            "step2_status",
            "Step 2 CK status",
            "enum",
            "not taken yet, passed, or failed",
            choices=STEP2_STATUS,
            aliases=STEP2_ALIASES,
            default="not_taken",
        ),
        _score_spec("step2_score", "Step 2 CK score", help="three-digit score, once Step 2 CK is taken"),
        FieldSpec(
            "step2_attempts",
            "Step 2 CK failed attempts",
            "int",
            "how many times Step 2 CK was failed (0 when passed on the first try or not taken yet)",
            minimum=0,
            maximum=6,
            default=0,
        ),
        FieldSpec(
            "graduation_year", "Graduation year", "int", "year of medical school graduation", minimum=1960, maximum=2040
        ),
        FieldSpec(
            "specialty",
            "Target specialty",
            "enum",
            "the specialty you apply to (the target, score band and program count follow from it)",
            choices=SPECIALTIES,
            aliases=SPECIALTY_ALIASES,
        ),
        FieldSpec(
            "program_tier",
            "Program tier",
            "enum",
            "academic, university-affiliated community, or community programs (sets the internal medicine target)",
            choices=PROGRAM_TIERS,
            aliases=TIER_ALIASES,
        ),
        FieldSpec(
            "visa", "Visa need", "enum", "none, J-1 or H-1B", choices=VISAS, aliases=VISA_ALIASES, default="none"
        ),
        FieldSpec(
            "eras_year",
            "ERAS year",
            "int",
            "year you apply through ERAS (opens in September)",
            minimum=2000,
            maximum=2100,
        ),
        FieldSpec("study_start", "Study start", "date", "first day of dedicated Step 2 CK study"),
        FieldSpec("exam_date", "Exam date", "date", "planned Step 2 CK exam date"),
        FieldSpec(
            "target_score",
            "Target score (override)",
            "int",
            "your own Step 2 CK target; blank uses the suggested one",
            minimum=1,
            maximum=300,
        ),
        FieldSpec(
            "qbank_size",
            "Question bank size",
            "int",
            "questions in your question bank",
            minimum=100,
            maximum=20000,
            default=3600,
        ),
        FieldSpec(
            "study_days_per_week",
            "Study days per week",
            "int",
            "days a week you study",
            minimum=1,
            maximum=7,
            default=6,
        ),
        FieldSpec(
            "days_off", "Days off", "dates", "dates with no study (holidays, travel), comma separated", default=()
        ),
        FieldSpec(
            "follow_up_days",
            "Follow-up after (days)",
            "int",
            "days after an unanswered inquiry e-mail before a follow-up is due",
            minimum=1,
            maximum=60,
            default=7,
        ),
        FieldSpec(
            "exam_delays",
            "Exam postponements",
            "int",
            "times the exam date was moved later (counted automatically)",
            minimum=0,
            maximum=50,
            default=0,
        ),
        # Who signs the e-mail drafts (their placeholders {my_name}, {my_email}, ...).
        FieldSpec("full_name", "Your name", "text", "as it should appear in e-mails", maximum=120, default=""),
        FieldSpec("email", "Your e-mail", "email", "the address programs write back to"),
        FieldSpec("phone", "Your phone", "text", "with country code, e.g. +91 98 7654 3210", maximum=40, default=""),
        FieldSpec("medical_school", "Medical school", "text", "school and country", maximum=160, default=""),
        FieldSpec(
            "calendar_file",
            "Calendar file",
            "text",
            "an .ics file rewritten after every change (blank: none), e.g. ~/Sync/imgtui.ics",
            maximum=400,
            default="",
        ),
        FieldSpec(
            "usce_budget",
            "USCE budget",
            "money",
            "what you can spend on rotations, in US dollars",
            minimum=0,
            maximum=1e6,
        ),
    )

    def check(self) -> None:
        if self.step1_status == "numeric" and self.step1_score is None:
            raise ValidationError("step1_score", "is required when Step 1 status is numeric (1-300)")
        if self.step2_passed and self.step2_score is None:
            raise ValidationError("step2_score", "is required when Step 2 CK is passed (1-300)")
        if self.study_start and self.exam_date and self.exam_date <= self.study_start:
            raise ValidationError("exam_date", f"{self.exam_date} must be after the study start {self.study_start}")
        calendar = self.calendar_file.strip()
        if calendar and not (calendar.lower().endswith(".ics") and calendar.startswith(("/", "~"))):
            raise ValidationError(
                "calendar_file", f"{calendar!r}: give a full path to an .ics file, e.g. ~/Sync/imgtui.ics"
            )

    @property
    def step2_passed(self) -> bool:
        """Step 2 CK is passed: final, never retaken for a higher score [first_attempt]."""
        return self.step2_status == "passed"


# ---------------------------------------------------------------- practice exams


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class PracticeExam(Record):
    TABLE: ClassVar[str] = "practice_exams"
    LOGGED_ON: ClassVar[str | None] = "taken"
    form: str = ""
    taken: date = date(2000, 1, 1)
    score: float = 0
    notes: str = ""
    scale: str | None = None
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("form", "Form", "text", "NBME 9-15, UWSA 1/2, Free 120, AMBOSS SA", required=True, maximum=40),
        FieldSpec("taken", "Date", "date", "day the exam was taken", required=True),
        # Range depends on the form's scale (three-digit vs percentage): checked in check().
        FieldSpec(
            "score", "Score", "float", "three-digit score 1-300, or a percentage 0-100 for Free 120", required=True
        ),
        FieldSpec("notes", "Notes", "text", "per-system notes, e.g. 'weak: renal, biostats'", maximum=2000, default=""),
        FieldSpec(
            "scale",
            "Scale",
            "enum",
            "three-digit or percent: needed only for a form imgtui does not know (Kaplan, Becker...)",
            choices=SCALES,
            aliases=SCALE_ALIASES,
        ),
    )

    def describe(self) -> str:
        return f"practice exam {self.form} ({self.taken})"

    def normalised(self) -> PracticeExam:
        form = normalise_form(self.form)
        info = form_info(form)
        scale = info.scale if info is not None else self.scale  # a known form's scale is its own
        whole = scale != "percent" and float(self.score).is_integer()
        exam: PracticeExam = self.replace(form=form, scale=scale, score=int(self.score) if whole else self.score)
        return exam

    def check(self) -> None:
        if not self.form:
            raise ValidationError("form", "is required (e.g. NBME 12, UWSA 2, Free 120)")
        if self.scale is None:
            raise ValidationError(
                "scale",
                f"{self.form!r} is not a form imgtui knows: say its scale (three-digit or percent); "
                "it is then logged, and kept out of the score prediction",
            )
        if self.scale == "percent":
            if not 0 <= self.score <= 100:
                raise ValidationError(
                    "score", f"{self.score:g} is out of range; {self.form} is a percentage from 0 to 100"
                )
        else:
            if not float(self.score).is_integer() or not 1 <= self.score <= 300:
                raise ValidationError(
                    "score", f"{self.score:g} is out of range; expected a whole three-digit score from 1 to 300"
                )

    @property
    def is_percentage(self) -> bool:
        return self.scale == "percent"

    @property
    def predicts(self) -> bool:
        """A known self-assessment on the Step scale: it feeds the trend and the prediction."""
        info = form_info(self.form)
        return info is not None and info.role == "predictor"

    def display(self, name: str) -> str:
        if name == "score" and self.is_percentage:
            return f"{self.score:g}%"
        return Record.display(self, name)  # (zero-argument super() fails in slots dataclasses)


# ---------------------------------------------------------------- question bank


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class QbankDay(Record):
    TABLE: ClassVar[str] = "qbank_days"
    LOGGED_ON: ClassVar[str | None] = "day"
    day: date = date(2000, 1, 1)
    done: int = 0
    correct: int = 0
    mode: str = "timed_random"
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("day", "Date", "date", "day the questions were done", required=True),
        FieldSpec("done", "Done", "int", "questions done", required=True, minimum=0, maximum=1000),
        FieldSpec(
            "correct",
            "Correct",
            "int",
            "questions answered correctly (at most done)",
            required=True,
            minimum=0,
            maximum=1000,
        ),
        FieldSpec(
            "mode",
            "Mode",
            "enum",
            "timed-random, timed-system or tutor",
            choices=EXAM_MODES,
            aliases=MODE_ALIASES,
            default="timed_random",
        ),
    )

    def describe(self) -> str:
        return f"question-bank day {self.day} ({self.done} questions)"

    def check(self) -> None:
        if self.correct > self.done:
            raise ValidationError("correct", f"{self.correct} is more than the {self.done} questions done")

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.done if self.done else 0.0

    @property
    def timed_mixed(self) -> bool:
        """Timed random blocks: the exam-like questions the percentage and long blocks count."""
        return self.mode == "timed_random"


# ---------------------------------------------------------------- USCE


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class UsceSite(Record):
    TABLE: ClassVar[str] = "usce_sites"
    name: str = ""
    city: str = ""
    specialty: str = "internal_medicine"
    usce_type: str = "observership_inpatient"
    # A new site's rubric facts start unknown (None): an unknown criterion is not met.
    setting: str | None = None
    has_residents: bool | None = None
    start: date | None = None
    weeks: int | None = None
    cost: float | None = None
    hands_on: bool | None = None
    letter_potential: bool | None = None
    documentation: bool | None = None
    status: str = "idea"
    contact_email: str | None = None
    notes: str = ""
    full_time: bool = False
    housing: float | None = None
    travel: float | None = None
    insurance: float | None = None
    visa_cost: float | None = None
    background_check: float | None = None
    other_costs: float | None = None
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("name", "Name", "text", "hospital or program name", required=True, maximum=120),
        FieldSpec("city", "City/State", "text", "e.g. Chicago, IL", maximum=80, default=""),
        FieldSpec(
            "specialty",
            "Specialty",
            "enum",
            "specialty of the rotation (an IM subspecialty such as cardiology counts for IM)",
            choices=SITE_SPECIALTIES,
            aliases=SITE_SPECIALTY_ALIASES,
            default="internal_medicine",
            open=True,
        ),
        FieldSpec(
            "usce_type",
            "Type",
            "enum",
            "kind of experience (strength follows the type hierarchy)",
            choices=USCE_TYPES,
            aliases=USCE_TYPE_ALIASES,
            default="observership_inpatient",
        ),
        FieldSpec(
            "setting",
            "Setting",
            "enum",
            "where it happens",
            choices=SETTINGS,
            aliases=SETTING_ALIASES,
        ),
        FieldSpec("has_residents", "Residents", "bool", "a residency program / structured teaching on site"),
        FieldSpec("start", "Start", "date", "first day of the rotation"),
        FieldSpec("weeks", "Weeks", "int", "length in weeks", minimum=1, maximum=52),
        FieldSpec("cost", "Cost", "money", "fee in US dollars (0 or 'free': no fee)", minimum=0, maximum=100000),
        FieldSpec("hands_on", "Hands-on", "bool", "notes, presentations, team involvement"),
        FieldSpec("letter_potential", "Letter", "bool", "direct work with an attending, formal evaluation"),
        FieldSpec("documentation", "Docs", "bool", "official evaluation or certificate"),
        FieldSpec(
            "status",
            "Status",
            "enum",
            "where the site is in your pipeline",
            choices=SITE_STATUSES,
            aliases=STATUS_ALIASES,
            default="idea",
        ),
        FieldSpec("contact_email", "Contact e-mail", "email", "coordinator or attending e-mail"),
        FieldSpec(
            "notes", "Notes", "text", "anything else (marketing claims, role description)", maximum=4000, default=""
        ),
        FieldSpec("full_time", "Full-time", "bool", "a full-time rotation (weekdays on site)", default=False),
        *(
            FieldSpec(name, label, "money", f"{what}, in US dollars (blank: not known yet)", minimum=0, maximum=100000)
            for name, label, what in COST_FIELDS
        ),
    )

    def describe(self) -> str:
        return f"site {self.name} and its inquiries"

    def total_cost(self) -> float:
        """The fee and every other cost entered."""
        return (self.cost or 0.0) + sum(getattr(self, name) or 0.0 for name, _, _ in COST_FIELDS)

    def costs_entered(self) -> bool:
        return any(getattr(self, name) is not None for name, _, _ in COST_FIELDS)

    @property
    def end(self) -> date | None:

        if self.start and self.weeks:
            return self.start + timedelta(weeks=self.weeks) - timedelta(days=1)
        return None


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class Inquiry(Record):
    TABLE: ClassVar[str] = "inquiries"
    LOGGED_ON: ClassVar[str | None] = "sent"
    site_id: int = 0
    sent: date = date(2000, 1, 1)
    contact: str = ""
    email: str | None = None
    subject: str = ""
    replied: date | None = None
    follow_ups: int = 0
    last_follow_up: date | None = None
    notes: str = ""
    template: str = ""
    reply_gist: str | None = None
    snoozed_until: date | None = None
    snooze_reason: str = ""
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("site_id", "Site", "int", "the USCE site this e-mail went to", required=True, minimum=1),
        FieldSpec("sent", "Sent", "date", "date the first e-mail was sent", required=True),
        FieldSpec("contact", "Contact", "text", "who you wrote to", maximum=120, default=""),
        FieldSpec("email", "E-mail", "email", "their address"),
        FieldSpec("subject", "Subject", "text", "subject line", maximum=200, default=""),
        FieldSpec("replied", "Replied", "date", "date of their reply (blank while unanswered)"),
        FieldSpec("follow_ups", "Follow-ups", "int", "follow-up e-mails sent", minimum=0, maximum=20, default=0),
        FieldSpec("last_follow_up", "Last follow-up", "date", "date of the latest follow-up"),
        FieldSpec("notes", "Notes", "text", "", maximum=2000, default=""),
        FieldSpec(
            "reply_gist",
            "Reply said",
            "enum",
            "yes (a place), no, needs documents, or other",
            choices=REPLY_GISTS,
            aliases=REPLY_GIST_ALIASES,
        ),
        FieldSpec(
            "template", "Template", "text", "the draft template this e-mail was written from", maximum=60, default=""
        ),
        FieldSpec("snoozed_until", "Snoozed until", "date", "no follow-up is due before this date"),
        FieldSpec("snooze_reason", "Snooze reason", "text", "why the follow-up waits", maximum=200, default=""),
    )

    def describe(self) -> str:
        return f"inquiry sent {self.sent}"

    def check(self) -> None:
        if self.replied and self.replied < self.sent:
            raise ValidationError("replied", f"{self.replied} is before the e-mail was sent ({self.sent})")
        if self.last_follow_up and self.last_follow_up < self.sent:
            raise ValidationError("last_follow_up", f"{self.last_follow_up} is before the first e-mail ({self.sent})")
        if self.snoozed_until and self.snoozed_until < self.sent:
            raise ValidationError("snoozed_until", f"{self.snoozed_until} is before the first e-mail ({self.sent})")


@dataclass(slots=True, frozen=True)  # thousands of records are held at once; changed only by replace()
class Letter(Record):
    TABLE: ClassVar[str] = "letters"
    writer: str = ""
    site_id: int | None = None
    us_faculty: bool = True
    specialty: str = "internal_medicine"
    asked: date | None = None
    agreed: bool = False
    uploaded: bool = False
    notes: str = ""
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("writer", "Writer", "text", "who writes the letter", required=True, maximum=120),
        FieldSpec("site_id", "Site", "int", "rotation where you worked with the writer", minimum=1),
        FieldSpec("us_faculty", "US faculty", "bool", "writer is US faculty", default=True),
        FieldSpec(
            "specialty",
            "Specialty",
            "enum",
            "writer's specialty",
            choices=SITE_SPECIALTIES,
            aliases=SITE_SPECIALTY_ALIASES,
            default="internal_medicine",
            open=True,
        ),
        FieldSpec("asked", "Asked", "date", "date you asked for the letter"),
        FieldSpec("agreed", "Agreed", "bool", "writer agreed", default=False),
        FieldSpec("uploaded", "Uploaded", "bool", "letter uploaded to ERAS", default=False),
        FieldSpec("notes", "Notes", "text", "", maximum=2000, default=""),
    )

    def describe(self) -> str:
        return f"letter from {self.writer}"


# The record kinds by the names the command line, CSV files and the app use.
RECORD_KINDS: dict[str, type[Record]] = {
    "sites": UsceSite,
    "inquiries": Inquiry,
    "exams": PracticeExam,
    "qbank": QbankDay,
    "letters": Letter,
    "documents": SiteDocument,
    "programs": Program,
}
RECORD_TYPES: tuple[type[Record], ...] = tuple(RECORD_KINDS.values())
