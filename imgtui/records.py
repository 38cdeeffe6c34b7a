"""Typed records with validation at the boundary.

Every value that enters the store (form, command line, CSV import) passes
through a ``FieldSpec.parse``; a bad value raises ``ValidationError`` naming
the field and what is accepted, and nothing is written.  No Textual here.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from . import RELATIVE_DAYS


class ValidationError(ValueError):
    """A value refused at the boundary; ``field`` names it, ``message`` says why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class ValidationErrors(ValueError):
    """Several refused values at once (all-or-nothing updates)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# ---------------------------------------------------------------- dates


# Dates the planner can work with: a year outside is a typing slip ("0026" for "2026"),
# and one far ahead breaks date arithmetic (imgtui's own window).
FIRST_YEAR, LAST_YEAR = 1950, 2100


def parse_date(raw: Any, field_name: str = "date") -> date:
    """Parse ISO and common written dates; all-number dates are month-first (US).
    Years outside FIRST_YEAR..LAST_YEAR are refused with the reason."""
    if isinstance(raw, datetime):
        raw = raw.date()
    day = raw if isinstance(raw, date) else _parse_date_text(clean_text(str(raw), field_name), field_name)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        hint = f" (did you mean {2000 + day.year}?)" if 20 <= day.year < 100 else ""
        raise ValidationError(
            field_name,
            f"{day.isoformat()} is outside the years imgtui plans for ({FIRST_YEAR}-{LAST_YEAR}){hint}; check the year",
        )
    return day


def _parse_date_text(text: str, field_name: str) -> date:
    text = text.strip()
    if not text:
        raise ValidationError(field_name, "a date is required (e.g. 2026-03-05)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    # A bare number is not a date (dateutil would read "12" as the 12th of this month).
    if re.fullmatch(r"[\d.]+", text) and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", text):
        raise ValidationError(field_name, f"{text!r} is not a date; use e.g. 2026-03-05")
    from dateutil import parser as date_parser  # only written dates need it: kept off start-up

    try:
        parsed = date_parser.parse(text, dayfirst=False, yearfirst=False, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        raise ValidationError(field_name, f"{text!r} is not a real calendar date; use e.g. 2026-03-05") from None
    if not re.search(r"\d{4}|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b", text):
        raise ValidationError(field_name, f"{text!r} has no year; write e.g. 2026-03-05")
    result: date = parsed.date()  # dateutil ships no type hints
    return result


def relative_day(raw: Any, today: date) -> date | None:
    """'today', 'yesterday' or 'tomorrow' (any case) as a date counted from ``today``; else None."""
    if not isinstance(raw, str):
        return None
    offset = RELATIVE_DAYS.get(raw.strip().lower())
    return None if offset is None else today + timedelta(days=offset)


def resolve_relative_days(cls: type[Record], values: dict[str, Any], today: date) -> dict[str, Any]:
    """``values`` with each date field given as a word (see ``relative_day``) turned into its date."""
    kinds = {spec.name: spec.kind for spec in cls.FIELDS}
    resolved = dict(values)
    for name, raw in values.items():
        if kinds.get(name) == "date":
            day = relative_day(raw, today)
            if day is not None:
                resolved[name] = day.isoformat()
    return resolved


# ---------------------------------------------------------------- text

# Control characters: terminal escapes, NULs, bells. Tab and newline are kept where a
# field takes lines (notes); elsewhere they become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n?|\n")
# Whole escape sequences first (CSI like ESC[2J, OSC like ESC]0;title BEL), then lone controls.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")


def clean_text(text: str, field_name: str = "text", lines: bool = False) -> str:
    """``text`` without control sequences: what a user or a file gives never reaches a
    terminal, a spreadsheet or a calendar as code. Refuses text that is not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field_name, "contains bytes that are not UTF-8 text; type it again") from None
    text = _LINE_BREAKS.sub("\n", text)
    if not lines:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", _ESCAPES.sub("", text))


# ---------------------------------------------------------------- fields

MAX_DIGITS = 12  # no count, score or amount the planner uses comes near a trillion


def _shown(raw: Any) -> str:
    """A refused value as a message quotes it: escaped, and cut when it is long."""
    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) >= 10**MAX_DIGITS:
        return "a number that large"  # str() of a huge int is slow, or refused past 4,300 digits
    shown = repr(raw) if isinstance(raw, str) else str(raw)
    return shown if len(shown) <= 40 else shown[:37] + "..."


EMAIL_PATTERN = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class FieldSpec:
    """How one field is parsed from text, validated, and explained."""

    name: str
    label: str
    kind: str  # int | float | date | enum | text | bool | email | money
    help: str = ""
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    default: Any = None

    def accepted(self) -> str:
        """A human description of the accepted values."""
        if self.kind == "enum":
            return "one of: " + ", ".join(self.choices)
        if self.kind in ("int", "float", "money"):
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            whole = "a whole number" if self.kind == "int" else "a number"
            if low and high:
                return f"{whole} from {low} to {high}"
            if low:
                return f"{whole} of at least {low}"
            return whole
        if self.kind == "date":
            return "a date such as 2026-03-05 or 5 Mar 2026"
        if self.kind == "bool":
            return "yes or no"
        if self.kind == "email":
            return "an e-mail address like name@hospital.org"
        if self.kind == "dates":
            return "dates separated by commas (or semicolons), e.g. 2026-12-24, 2026-12-25"
        return "text"

    def parse(self, raw: Any) -> Any:
        """Turn user/CSV/JSON input into a validated value (None when blank and optional)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise ValidationError(self.name, f"is required ({self.accepted()})")
            return self.default
        parse = getattr(self, f"_parse_{self.kind}")
        return parse(raw)

    def _fail(self, raw: Any) -> ValidationError:
        return ValidationError(self.name, f"{_shown(raw)} is not valid; expected {self.accepted()}")

    def _range(self, value: float, raw: Any) -> None:
        if abs(value) >= 10**MAX_DIGITS or not math.isfinite(value):  # ints first: too large for a float
            raise ValidationError(self.name, f"{_shown(raw)} is far out of range; expected {self.accepted()}")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise ValidationError(self.name, f"{_shown(raw)} is out of range; expected {self.accepted()}")

    def _parse_int(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise self._fail(raw)
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            text = str(raw).strip().replace(",", "")
            if not re.fullmatch(rf"[+-]?\d{{1,{MAX_DIGITS}}}(\.0+)?", text):
                raise self._fail(raw)
            value = int(text.split(".")[0])
        self._range(value, raw)
        return value

    def _parse_float(self, raw: Any) -> float:
        text = str(raw).strip().rstrip("%")
        if len(text) > 3 * MAX_DIGITS:
            raise self._fail(raw)
        try:
            value = float(text)
        except ValueError:
            raise self._fail(raw) from None
        if value != value:  # NaN
            raise self._fail(raw)
        self._range(value, raw)
        return value

    def _parse_money(self, raw: Any) -> float:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if abs(raw) >= 10**MAX_DIGITS:
                raise self._fail(raw)
            value = float(raw)
        else:
            text = str(raw).strip().upper()
            text = re.sub(r"(USD|US\$|\$|DOLLARS?)", "", text).replace(",", "").strip()
            if text in ("FREE", "NONE", "-"):
                text = "0"
            if len(text) > 3 * MAX_DIGITS:
                raise self._fail(raw)
            try:
                value = float(text)
            except ValueError:
                raise self._fail(raw) from None
        self._range(value, raw)
        return value

    def _parse_date(self, raw: Any) -> date:
        return parse_date(raw, self.name)

    def _parse_dates(self, raw: Any) -> tuple[date, ...]:
        if isinstance(raw, (list, tuple)):
            parts = list(raw)
        else:  # commas or semicolons, mixed; "Dec 25, 2026": a lone year goes with the piece before it
            parts = []
            for piece in re.split(r"[;,]", str(raw)):
                if re.fullmatch(r"\s*\d{4}\s*", piece) and parts:
                    parts[-1] = f"{parts[-1]} {piece.strip()}"
                else:
                    parts.append(piece)
        return tuple(sorted({parse_date(p, self.name) for p in parts if str(p).strip()}))

    def _parse_enum(self, raw: Any) -> str:
        key = normalise_key(str(raw))
        if key in self.choices:
            return key
        if key in self.aliases:
            return self.aliases[key]
        raise ValidationError(self.name, f"{str(raw)!r} is not accepted; expected {self.accepted()}")

    def _parse_bool(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        key = str(raw).strip().lower()
        if key in ("y", "yes", "true", "t", "1", "x", "on"):
            return True
        if key in ("n", "no", "false", "f", "0", "off"):
            return False
        raise self._fail(raw)

    def _parse_text(self, raw: Any) -> str:
        text = clean_text(str(raw), self.name, lines=self.name == "notes").strip()
        if self.maximum is not None and len(text) > self.maximum:
            raise ValidationError(self.name, f"is too long ({len(text)} characters; at most {self.maximum:g})")
        return text

    def _parse_email(self, raw: Any) -> str:
        text = clean_text(str(raw), self.name).strip()
        if not EMAIL_PATTERN.fullmatch(text):
            raise self._fail(raw)
        return text


def normalise_key(text: str) -> str:
    """'Internal Medicine' -> 'internal_medicine'; 'H-1B' -> 'h_1b'."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _aliases(**pairs: Iterable[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in pairs.items():
        for spelling in spellings:
            table[normalise_key(spelling)] = canonical
    return table


# ---------------------------------------------------------------- enumerations

STEP1_STATUS = ("pending", "pass", "pass_after_fail", "numeric", "fail")
STEP1_ALIASES = _aliases(
    **{
        "pass": ("passed", "first attempt pass", "p"),
        "pass_after_fail": ("passed after fail", "pass after fail", "fail then pass", "second attempt pass"),
        "numeric": ("score", "legacy", "legacy score", "three digit"),
        "pending": ("not taken", "not yet", "planned"),
        "fail": ("failed",),
    }
)

STEP2_STATUS = ("not_taken", "passed", "failed")
STEP2_ALIASES = _aliases(
    not_taken=("pending", "planned", "not yet", "no"),
    passed=("pass", "taken", "done"),
    failed=("fail",),
)

SPECIALTIES = (
    "internal_medicine",
    "family_medicine",
    "pediatrics",
    "psychiatry",
    "neurology",
    "anesthesiology",
    "emergency_medicine",
    "radiology",
    "dermatology",
    "plastic_surgery",
    "orthopedics",
    "ent",
    "neurosurgery",
    "vascular_surgery",
)
SPECIALTY_ALIASES = _aliases(
    internal_medicine=("im", "medicine", "internal med", "int med"),
    family_medicine=("fm", "family", "family practice"),
    pediatrics=("peds", "paediatrics"),
    psychiatry=("psych",),
    neurology=("neuro",),
    anesthesiology=("anesthesia", "anaesthesia", "gas"),
    emergency_medicine=("em", "emergency", "er"),
    radiology=("rads", "diagnostic radiology"),
    dermatology=("derm",),
    plastic_surgery=("plastics", "plastic"),
    orthopedics=("ortho", "orthopaedics", "orthopedic surgery"),
    ent=("otolaryngology", "ear nose throat"),
    neurosurgery=("nsgy", "neurological surgery"),
    vascular_surgery=("vascular",),
)

PROGRAM_TIERS = ("academic", "university_affiliated", "community")
TIER_ALIASES = _aliases(
    academic=("research academic", "university", "top"),
    university_affiliated=("mid tier", "mid-tier academic", "university affiliated community", "affiliated"),
    community=("community hospital", "img friendly"),
)

VISAS = ("none", "j1", "h1b")
# How a stored choice reads when it is not its own words with spaces for underscores.
CHOICE_LABELS = {"j1": "J-1", "h1b": "H-1B"}


def choice_label(value: str) -> str:
    """A stored choice as people write it: 'internal_medicine' -> 'internal medicine', 'j1' -> 'J-1'."""
    return CHOICE_LABELS.get(value) or value.replace("_", " ")


VISA_ALIASES = _aliases(none=("no", "citizen", "green card", "n/a"), j1=("j-1", "j 1", "j"), h1b=("h-1b", "h1", "h"))

EXAM_MODES = ("timed_random", "timed_system", "tutor")
MODE_ALIASES = _aliases(
    timed_random=("timed", "timed mixed", "random", "timed-random", "mixed"),
    timed_system=("timed by system", "system", "timed-system", "by system"),
    tutor=("tutor mode", "untimed"),
)

USCE_TYPES = (
    "core_rotation",
    "sub_internship",
    "inpatient_elective",
    "externship",
    "observership_inpatient",
    "observership_outpatient",
    "shadowing",
    "tele_rotation",
    "research",
)
USCE_TYPE_ALIASES = _aliases(
    core_rotation=("core", "clerkship", "core clerkship", "rotation"),
    sub_internship=("sub-i", "subi", "sub i", "acting internship", "ai"),
    inpatient_elective=("elective",),
    externship=("hands-on externship", "hands on", "extern"),
    observership_inpatient=(
        "observership",
        "inpatient observership",
        "academic observership",
        "structured observership",
    ),
    observership_outpatient=("outpatient observership", "clinic observership", "clinic"),
    shadowing=("shadow",),
    tele_rotation=("tele", "telerotation", "virtual", "zoom", "online"),
    research=("research only",),
)

SETTINGS = ("teaching_hospital", "community_hospital", "outpatient_clinic", "private_office", "virtual")
SETTING_ALIASES = _aliases(
    teaching_hospital=("teaching", "academic", "university hospital"),
    community_hospital=("community",),
    outpatient_clinic=("clinic", "outpatient"),
    private_office=("private", "private practice", "office"),
    virtual=("online", "zoom", "tele"),
)

SITE_STATUSES = (
    "idea",
    "contacted",
    "replied",
    "applied",
    "accepted",
    "booked",
    "in_progress",
    "completed",
    "declined",
    "rejected",
    "not_responding",
)
STATUS_ALIASES = _aliases(
    idea=("new", "todo", "to contact"),
    contacted=("emailed", "sent", "inquired"),
    in_progress=("ongoing", "current", "active"),
    completed=("done", "finished"),
    not_responding=("no response", "no reply", "ghosted"),
    booked=("confirmed",),
)
SECURED_STATUSES = ("booked", "in_progress", "completed")


# ---------------------------------------------------------------- record base


class Record:
    """Shared behaviour of the stored records (dataclasses below)."""

    __slots__ = ()  # the records' own slots are all they carry (no per-instance dict)

    TABLE: ClassVar[str]
    FIELDS: ClassVar[tuple[FieldSpec, ...]]
    # The date field of something that already happened (an exam taken, an e-mail sent).
    LOGGED_ON: ClassVar[str | None] = None
    doc_id: int | None  # set by the store; each dataclass declares it as a field

    def future_problem(self, today: date) -> ValidationError | None:
        """Events are logged on or after the day they happened; None when that holds."""
        if self.LOGGED_ON is None:
            return None
        when = getattr(self, self.LOGGED_ON)
        if when > today:
            return ValidationError(self.LOGGED_ON, f"{when} is in the future; log it on or after the day it happened")
        return None

    @classmethod
    def spec(cls, name: str) -> FieldSpec:
        for spec in cls.FIELDS:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @classmethod
    def field_names(cls) -> list[str]:
        return [spec.name for spec in cls.FIELDS]

    @classmethod
    def from_input(cls, values: Mapping[str, Any], base: Record | None = None) -> Any:
        """Validate raw values (strings or typed) into a record; all errors at once.

        With ``base`` the record starts from that record's values (partial update).
        """
        known = {spec.name: spec for spec in cls.FIELDS}
        parsed: dict[str, Any] = {}
        errors: list[ValidationError] = []
        for key in values:
            if key not in known:
                errors.append(ValidationError(key, "is not a field; known fields: " + ", ".join(known)))
        for name, spec in known.items():
            if name in values:
                try:
                    parsed[name] = spec.parse(values[name])
                except ValidationError as exc:
                    errors.append(exc)
            elif base is not None:
                parsed[name] = getattr(base, name)
            else:
                try:
                    parsed[name] = spec.parse(None)
                except ValidationError as exc:
                    errors.append(exc)
        if not errors:
            try:
                record: Any = cls(**parsed)
                if base is not None:
                    record.doc_id = base.doc_id
                record.check()
                return record
            except ValidationError as exc:
                errors.append(exc)
        raise ValidationErrors(errors)

    def check(self) -> None:
        """Cross-field rules; override where needed."""

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        for spec in self.FIELDS:
            value = getattr(self, spec.name)
            if isinstance(value, tuple):
                value = [v.isoformat() if isinstance(v, date) else v for v in value]
            doc[spec.name] = value.isoformat() if isinstance(value, date) else value
        return doc

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], doc_id: int | None = None) -> Any:
        """Build from a stored document (validated like input; raises on bad docs)."""
        values: dict[str, Any] = {}
        errors: list[ValidationError] = []
        for spec in cls.FIELDS:
            try:
                values[spec.name] = spec.parse(doc.get(spec.name))
            except ValidationError as exc:
                errors.append(exc)
        if not errors:
            try:
                record: Any = cls(**values)
                record.check()
                record.doc_id = doc_id
                return record
            except ValidationError as exc:
                errors.append(exc)
        raise ValidationErrors(errors)

    def display(self, name: str) -> str:
        """The value as the user sees it in tables and CSV."""
        value = getattr(self, name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple):
            return ", ".join(v.isoformat() if isinstance(v, date) else str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def describe(self) -> str:
        """A short name for messages ("Delete practice exam NBME 12 (2026-11-01)?")."""
        return f"{type(self).__name__} #{self.doc_id}"

    def replace(self, **changes: Any) -> Any:
        new: Any = dataclasses.replace(self, **changes)  # type: ignore[type-var]
        new.doc_id = self.doc_id
        return new


def _score_spec(name: str, label: str, required: bool = False, help: str = "three-digit USMLE score") -> FieldSpec:
    return FieldSpec(name, label, "int", help, required, 1, 300)


# ---------------------------------------------------------------- profile


@dataclass(slots=True)  # thousands of records are held at once
class Profile(Record):
    TABLE: ClassVar[str] = "profile"
    step1_status: str = "pending"
    step1_score: int | None = None
    step1_attempts: int = 0
    step2_status: str = "not_taken"
    step2_score: int | None = None
    step2_attempts: int = 0
    graduation_year: int | None = None
    specialty: str = "internal_medicine"
    program_tier: str = "community"
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
            "the specialty you apply to",
            choices=SPECIALTIES,
            aliases=SPECIALTY_ALIASES,
            default="internal_medicine",
        ),
        FieldSpec(
            "program_tier",
            "Program tier",
            "enum",
            "academic, university-affiliated community, or community programs",
            choices=PROGRAM_TIERS,
            aliases=TIER_ALIASES,
            default="community",
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
    )

    def check(self) -> None:
        if self.step1_status == "numeric" and self.step1_score is None:
            raise ValidationError("step1_score", "is required when Step 1 status is numeric (1-300)")
        if self.step2_passed and self.step2_score is None:
            raise ValidationError("step2_score", "is required when Step 2 CK is passed (1-300)")
        if self.study_start and self.exam_date and self.exam_date <= self.study_start:
            raise ValidationError("exam_date", f"{self.exam_date} must be after the study start {self.study_start}")

    @property
    def step2_passed(self) -> bool:
        """Step 2 CK is passed: final, never retaken for a higher score [first_attempt]."""
        return self.step2_status == "passed"


# ---------------------------------------------------------------- practice exams

FORM_SUGGESTIONS = tuple([f"NBME {n}" for n in range(9, 16)] + ["UWSA 1", "UWSA 2", "UWSA 3", "Free 120", "AMBOSS SA"])


def normalise_form(raw: Any) -> str:
    """'uwsa2' -> 'UWSA 2', 'nbme12' -> 'NBME 12', 'free120' -> 'Free 120'."""
    return _normalise_form_text(str(raw))


@functools.lru_cache(maxsize=1024)  # a few dozen distinct forms, asked about on every overview
def _normalise_form_text(raw: str) -> str:
    text = raw.strip()
    compact = re.sub(r"[\s_\-#]+", "", text.lower())
    match = re.fullmatch(r"(nbme|uwsa|ccssa|amboss(?:sa)?)(\d*)", compact)
    if compact in ("free120", "f120", "nbmefree120"):
        return "Free 120"
    if match:
        name, number = match.groups()
        label = {"nbme": "NBME", "uwsa": "UWSA", "ccssa": "CCSSA"}.get(name, "AMBOSS SA")
        return f"{label} {number}".strip() if number else label
    if compact.startswith("amboss"):
        return "AMBOSS SA"
    return text


def is_percentage_form(form: str) -> bool:
    return normalise_form(form) == "Free 120"


def is_full_length(form: str) -> bool:
    """UWSA and AMBOSS self-assessments are full-length simulations (NBME forms are 4 blocks)."""
    name = normalise_form(form)
    return name.startswith("UWSA") or name.startswith("AMBOSS")


@dataclass(slots=True)  # thousands of records are held at once
class PracticeExam(Record):
    TABLE: ClassVar[str] = "practice_exams"
    LOGGED_ON: ClassVar[str | None] = "taken"
    form: str = ""
    taken: date = date(2000, 1, 1)
    score: float = 0
    notes: str = ""
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("form", "Form", "text", "NBME 9-15, UWSA 1/2, Free 120, AMBOSS SA", required=True, maximum=40),
        FieldSpec("taken", "Date", "date", "day the exam was taken", required=True),
        # Range depends on the form (three-digit vs Free 120 percentage): checked in check().
        FieldSpec(
            "score", "Score", "float", "three-digit score 1-300, or a percentage 0-100 for Free 120", required=True
        ),
        FieldSpec("notes", "Notes", "text", "per-system notes, e.g. 'weak: renal, biostats'", maximum=2000, default=""),
    )

    def describe(self) -> str:
        return f"practice exam {self.form} ({self.taken})"

    def check(self) -> None:
        self.form = normalise_form(self.form)
        if not self.form:
            raise ValidationError("form", "is required (e.g. NBME 12, UWSA 2, Free 120)")
        if is_percentage_form(self.form):
            if not 0 <= self.score <= 100:
                raise ValidationError(
                    "score", f"{self.score:g} is out of range; Free 120 is a percentage from 0 to 100"
                )
        else:
            if not float(self.score).is_integer() or not 1 <= self.score <= 300:
                raise ValidationError(
                    "score", f"{self.score:g} is out of range; expected a whole three-digit score from 1 to 300"
                )
            self.score = int(self.score)

    @property
    def is_percentage(self) -> bool:
        return is_percentage_form(self.form)

    def display(self, name: str) -> str:
        if name == "score" and self.is_percentage:
            return f"{self.score:g}%"
        return Record.display(self, name)  # (zero-argument super() fails in slots dataclasses)


# ---------------------------------------------------------------- question bank


@dataclass(slots=True)  # thousands of records are held at once
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


@dataclass(slots=True)  # thousands of records are held at once
class UsceSite(Record):
    TABLE: ClassVar[str] = "usce_sites"
    name: str = ""
    city: str = ""
    specialty: str = "internal_medicine"
    usce_type: str = "observership_inpatient"
    setting: str = "teaching_hospital"
    has_residents: bool = True
    start: date | None = None
    weeks: int | None = None
    cost: float = 0.0
    hands_on: bool = False
    letter_potential: bool = False
    documentation: bool = False
    status: str = "idea"
    contact_email: str | None = None
    notes: str = ""
    doc_id: int | None = field(default=None, compare=False, repr=False)

    FIELDS: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("name", "Name", "text", "hospital or program name", required=True, maximum=120),
        FieldSpec("city", "City/State", "text", "e.g. Chicago, IL", maximum=80, default=""),
        FieldSpec(
            "specialty",
            "Specialty",
            "enum",
            "specialty of the rotation",
            choices=SPECIALTIES,
            aliases=SPECIALTY_ALIASES,
            default="internal_medicine",
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
            default="teaching_hospital",
        ),
        FieldSpec(
            "has_residents", "Residents", "bool", "a residency program / structured teaching on site", default=True
        ),
        FieldSpec("start", "Start", "date", "first day of the rotation"),
        FieldSpec("weeks", "Weeks", "int", "length in weeks", minimum=1, maximum=52),
        FieldSpec("cost", "Cost", "money", "fee in US dollars", minimum=0, maximum=100000, default=0.0),
        FieldSpec("hands_on", "Hands-on", "bool", "notes, presentations, team involvement", default=False),
        FieldSpec(
            "letter_potential", "Letter", "bool", "direct work with an attending, formal evaluation", default=False
        ),
        FieldSpec("documentation", "Docs", "bool", "official evaluation or certificate", default=False),
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
    )

    def describe(self) -> str:
        return f"site {self.name} and its inquiries"

    @property
    def end(self) -> date | None:
        from datetime import timedelta

        if self.start and self.weeks:
            return self.start + timedelta(weeks=self.weeks) - timedelta(days=1)
        return None


@dataclass(slots=True)  # thousands of records are held at once
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
    )

    def describe(self) -> str:
        return f"inquiry sent {self.sent}"

    def check(self) -> None:
        if self.replied and self.replied < self.sent:
            raise ValidationError("replied", f"{self.replied} is before the e-mail was sent ({self.sent})")
        if self.last_follow_up and self.last_follow_up < self.sent:
            raise ValidationError("last_follow_up", f"{self.last_follow_up} is before the first e-mail ({self.sent})")


@dataclass(slots=True)  # thousands of records are held at once
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
            choices=SPECIALTIES,
            aliases=SPECIALTY_ALIASES,
            default="internal_medicine",
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
}
RECORD_TYPES: tuple[type[Record], ...] = tuple(RECORD_KINDS.values())
