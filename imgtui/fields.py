"""Fields and the record base: validation at the boundary.

Every value that enters the store (form, command line, CSV import) passes
through a ``FieldSpec.parse``; a bad value raises ``ValidationError`` naming
the field and what is accepted, and nothing is written. No Textual here.
"""

from __future__ import annotations

import contextlib
import dataclasses
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
    result: date = parsed.date()  # dateutil ships no type hints
    if not re.search(r"\d{4}|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b", text):
        return _nearest_year(result.month, result.day, date.today())  # "Nov 28": the closest one
    return result


def _nearest_year(month: int, day: int, today: date) -> date:
    """A day written without its year, in the year that puts it closest to ``today``."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        with contextlib.suppress(ValueError):  # 29 February in a common year
            candidates.append(date(year, month, day))
    return min(candidates, key=lambda day_: abs((day_ - today).days))


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
MAX_RANGE_DAYS = 62  # a range of days off longer than two months is a typing slip


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
    open: bool = False  # an enum that keeps a value it does not know, as typed

    def accepted(self) -> str:
        """A human description of the accepted values."""
        if self.kind == "enum":
            return "one of: " + ", ".join(self.choices) + (", or your own" if self.open else "")
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
            return "yes or no" + (" (or ? while not known)" if self.default is None else "")
        if self.kind == "email":
            return "an e-mail address like name@hospital.org"
        if self.kind == "dates":
            return "dates separated by commas (or semicolons), e.g. 2026-12-24, 2026-12-25"
        if self.kind == "cutoff":
            return "years since graduation (5, '5 years', 'within 5 yrs') or the earliest graduation year (2019)"
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
        if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) >= 10**MAX_DIGITS:
            raise self._fail(raw)  # before str(): a huge int is slow to print, or refused
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

    def _parse_money(self, raw: Any) -> float | None:
        """'$2,500', '2500 USD', 'free': the amount, then parsed as any number; '?' while
        not known (for an amount that may be unknown)."""
        if isinstance(raw, str) and self.default is None and raw.strip().lower() in UNKNOWN_WORDS:
            return None
        if isinstance(raw, str):
            text = re.sub(r"(USD|US\$|\$|DOLLARS?)", "", raw.strip(), flags=re.IGNORECASE).replace(",", "").strip()
            raw = "0" if text.upper() in ("FREE", "NONE", "-") else text
        return self._parse_float(raw)

    def _parse_cutoff(self, raw: Any) -> str:
        """A graduation cut-off as programs state it: '5 years' (since graduation) or a year
        ('YOG 2019 or later'), stored as '5 years' or '2019'."""
        numbers = re.findall(r"\d+", str(raw))
        if isinstance(raw, bool) or len(numbers) != 1 or len(numbers[0]) > 4:
            raise self._fail(raw)
        value = int(numbers[0])
        if 1 <= value <= 60:
            return f"{value} year" if value == 1 else f"{value} years"
        if 1950 <= value <= 2100:
            return str(value)
        raise self._fail(raw)

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
        days: set[date] = set()
        for part in (str(p) for p in parts if str(p).strip()):
            days.update(self._date_range(part))
        return tuple(sorted(days))

    def _date_range(self, text: str) -> list[date]:
        """One day, or a range: '2026-12-24 to 2026-12-26', 'Dec 24-26' (with or without its year)."""
        span = re.fullmatch(r"\s*(.+?)\s+(?:to|until|through)\s+(.+?)\s*", text, re.IGNORECASE)
        short = re.fullmatch(r"\s*([A-Za-z]{3,}\.?)\s+(\d{1,2})\s*[-\u2013]\s*(\d{1,2})(\s+\d{4})?\s*", text)
        if span:
            first, last = parse_date(span.group(1), self.name), parse_date(span.group(2), self.name)
        elif short:
            month, a, b, year = short.group(1), short.group(2), short.group(3), short.group(4) or ""
            first, last = parse_date(f"{month} {a}{year}", self.name), parse_date(f"{month} {b}{year}", self.name)
        else:
            return [parse_date(text, self.name)]
        if not 0 <= (last - first).days <= MAX_RANGE_DAYS:
            raise ValidationError(
                self.name, f"{text.strip()!r}: a range of days off runs forward, {MAX_RANGE_DAYS} days at most"
            )
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def _parse_enum(self, raw: Any) -> str:
        key = normalise_key(str(raw))
        if key in self.choices:
            return key
        if key in self.aliases:
            return self.aliases[key]
        if self.open and key:
            return key
        raise ValidationError(self.name, f"{str(raw)!r} is not accepted; expected {self.accepted()}")

    def _parse_bool(self, raw: Any) -> bool | None:
        if isinstance(raw, bool):
            return raw
        key = str(raw).strip().lower()
        if self.default is None and key in UNKNOWN_WORDS:  # a yes/no that may be not known yet
            return None
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


# What people write for "not known yet" in a yes/no column.
UNKNOWN_WORDS = ("?", "unknown", "not known", "not sure", "don't know", "dont know", "tbd")


def normalise_key(text: str) -> str:
    """'Internal Medicine' -> 'internal_medicine'; 'H-1B' -> 'h_1b'."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _aliases(**pairs: Iterable[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in pairs.items():
        for spelling in spellings:
            table[normalise_key(spelling)] = canonical
    return table


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
                parsed["doc_id"] = base.doc_id if base is not None else None
                record: Any = cls(**parsed).normalised()
                record.check()
                return record
            except ValidationError as exc:
                errors.append(exc)
        raise ValidationErrors(errors)

    def normalised(self) -> Any:
        """The record as stored (a form name in its usual spelling...); override where needed."""
        return self

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
                values["doc_id"] = doc_id
                record: Any = cls(**values).normalised()
                record.check()
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
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
