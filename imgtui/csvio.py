"""CSV export and import that reads what spreadsheets actually produce.

Export writes UTF-8 with the field names as header; import accepts a BOM,
comma/semicolon/tab separators, header synonyms in any case, "$2,500" costs,
yes/no, written dates and blank rows.  Every row is validated before anything
is written; re-importing the same rows updates them instead of duplicating.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .core.advice import counted
from .core.usce import site_key
from .paths import write_private
from .records import (
    RECORD_KINDS,
    Inquiry,
    Letter,
    PracticeExam,
    Program,
    QbankDay,
    Record,
    SiteDocument,
    UsceSite,
    ValidationErrors,
    normalise_form,
    normalise_key,
)
from .store import Store

KINDS = tuple(RECORD_KINDS)

# CSV columns per kind: the record fields, with the site link written as the site's name.
COLUMNS: dict[str, list[str]] = {
    "sites": UsceSite.field_names(),
    "exams": PracticeExam.field_names(),
    "qbank": QbankDay.field_names(),
    "inquiries": ["site"] + [f for f in Inquiry.field_names() if f != "site_id"],
    "letters": ["writer", "site"] + [f for f in Letter.field_names() if f not in ("writer", "site_id")],
    "documents": ["site"] + [f for f in SiteDocument.field_names() if f != "site_id"],
    "programs": Program.field_names(),
}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "sites": {
        "name": ("hospital", "site", "program", "institution", "site_name", "hospital_name"),
        "city": ("city_state", "location", "city_state_", "place", "state"),
        "usce_type": ("type", "kind", "rotation_type", "usce"),
        "start": ("start_date", "from", "begins", "starts", "date"),
        "weeks": ("duration", "length", "wks", "duration_weeks", "weeks_"),
        "cost": ("fee", "price", "cost_usd", "cost_", "fees"),
        "has_residents": ("residents", "teaching", "residency_program"),
        "hands_on": ("handson", "hands_on_", "bedside"),
        "letter_potential": ("letter", "lor", "lor_potential", "letter_"),
        "documentation": ("docs", "certificate", "evaluation"),
        "contact_email": ("email", "e_mail", "contact", "mail"),
        "status": ("stage", "pipeline"),
        "notes": ("comments", "comment", "remarks"),
        "setting": ("place_type", "facility"),
    },
    "exams": {
        "form": ("exam", "test", "assessment", "name", "nbme", "practice_exam"),
        "taken": ("date", "taken_on", "day"),
        "score": ("result", "three_digit", "percent", "score_"),
        "notes": ("comments", "weak_systems", "systems"),
    },
    "qbank": {
        "day": ("date",),
        "done": ("questions", "total", "attempted", "qs", "number"),
        "correct": ("right", "correct_answers"),
        "mode": ("type", "block_type"),
    },
    "inquiries": {
        "site": ("hospital", "site_name", "program", "institution", "name"),
        "sent": ("date", "date_sent", "sent_on", "emailed"),
        "contact": ("person", "to", "recipient"),
        "email": ("e_mail", "address", "mail"),
        "replied": ("reply", "replied_on", "response", "reply_date"),
        "follow_ups": ("followups", "follow_up", "reminders"),
        "last_follow_up": ("last_followup", "followed_up"),
        "notes": ("comments",),
    },
    "letters": {
        "writer": ("author", "name", "letter_writer", "from"),
        "site": ("hospital", "rotation", "site_name"),
        "us_faculty": ("us", "faculty", "us_letter"),
        "asked": ("asked_on", "requested", "date_asked"),
        "notes": ("comments",),
    },
    # Headers of the program sheets IMGs share, FREIDA exports and Residency Navigator lists.
    "programs": {
        "name": ("program", "program_name", "residency_program", "institution", "hospital"),
        "city": ("location", "town"),
        "state": ("st", "state_province"),
        "kind": ("type", "program_type", "setting", "category", "affiliation"),
        "visa": ("visa_sponsorship", "visas", "visas_sponsored", "visa_sponsored", "sponsors_visa", "sponsorship"),
        "img_share": ("img", "imgs", "img_percent", "percent_img", "img_ratio", "imgs_percent", "img_residents"),
        "grad_cutoff": ("yog", "yog_cutoff", "graduation_cutoff", "years_since_graduation", "grad_year_cutoff"),
        "step2_min": ("step_2_cutoff", "step2_cutoff", "step_2_ck_minimum", "min_step_2", "step_2_min", "ck_cutoff"),
        "attempts_accepted": ("attempts", "attempts_allowed", "attempts_ok", "failures_accepted"),
        "usce_required": ("usce", "usce_req", "us_clinical_experience_required"),
        "step3_for_h1b": ("step_3_for_h1b", "step_3_for_h_1b", "step3_required", "step_3_required"),
        "signal": ("signaled", "signalled", "program_signal"),
        "status": ("stage", "application_status"),
        "interview": ("interview_date", "interview_on"),
        "notes": ("comments", "comment", "remarks"),
        "source": ("data_source", "from"),
        "checked": ("last_checked", "checked_on", "updated", "last_updated"),
    },
    "documents": {
        "site": ("hospital", "rotation", "site_name", "program"),
        "name": ("document", "item", "what"),
        "sent": ("sent_on", "submitted", "done"),
        "requested": ("asked", "requested_on"),
        "notes": ("comments",),
    },
}


@dataclass
class RowProblem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    kind: str
    added: int = 0
    updated: int = 0
    skipped_blank: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    unknown_handling: str = ""
    written: bool = False
    dry_run: bool = False

    def lines(self) -> list[str]:
        ahead = " would be" if self.dry_run or not self.written else ""  # "3 added" or "3 would be added"
        out = [
            f"{self.kind}: {self.added}{ahead} added, {self.updated}{ahead} updated"
            + (f", {counted(self.skipped_blank, 'blank row')} skipped" if self.skipped_blank else "")
        ]
        if self.unknown_columns:
            out.append(f"unknown columns {', '.join(self.unknown_columns)}: {self.unknown_handling}")
        bad_lines = sorted({p.line for p in self.problems})
        if self.problems:
            out.append(f"{counted(len(bad_lines), 'bad row')}:")
            out.extend(f"  {p}" for p in self.problems)
        if self.dry_run:
            out.append("dry run: nothing was written")
        elif self.problems and not self.written:
            out.append("nothing was imported; fix the rows above or use --skip-bad to import the good rows")
        return out


# ---------------------------------------------------------------- export


def _site_label(store: Store) -> Callable[[int | None], str]:
    names = {s.doc_id: s.name for s in store.sites()}
    return lambda site_id: names.get(site_id, "") if site_id else ""


def rows_for_export(store: Store, kind: str) -> list[dict[str, str]]:
    label = _site_label(store)
    order: dict[str, Callable[[Any], tuple[Any, ...]]] = {
        "sites": lambda s: (s.name.lower(), s.city.lower(), str(s.start)),
        "exams": lambda e: (e.taken, e.form),
        "qbank": lambda d: (d.day, d.mode),
        "inquiries": lambda i: (label(i.site_id).lower(), i.sent, i.subject),
        "letters": lambda letter: (letter.writer.lower(),),
        "documents": lambda d: (label(d.site_id).lower(), d.name.lower()),
        "programs": lambda p: (p.name.lower(), p.state.lower()),
    }
    records: list[Any] = sorted(store.records(RECORD_KINDS[kind]), key=order[kind])
    rows = []
    for record in records:
        row = {}
        for column in COLUMNS[kind]:
            if column == "site":
                row[column] = label(record.site_id)
            else:
                row[column] = record.display(column)
        rows.append(row)
    return rows


# A cell a spreadsheet would run as a formula: neutralised by a leading apostrophe,
# the usual convention (OWASP's CSV injection advice), and taken off again on import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value


def csv_text(store: Store, kind: str, formulas: bool = False) -> tuple[str, int]:
    """A table as CSV text, and its number of rows. Cells that would run as formulas are
    neutralised unless ``formulas``."""
    rows = rows_for_export(store, kind)
    if not formulas:
        rows = [{column: _guarded(value) for column, value in row.items()} for row in rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[kind], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def export_csv(store: Store, kind: str, path: Path, formulas: bool = False) -> int:
    text, count = csv_text(store, kind, formulas)
    write_private(path, text.encode("utf-8"))
    return count


# ---------------------------------------------------------------- import


def _detect_dialect(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)  # type: ignore[arg-type]


def map_headers(kind: str, headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field name, and the headers that match nothing."""
    lookup: dict[str, str] = {}
    for column in COLUMNS[kind]:
        lookup[normalise_key(column)] = column
    for spec in RECORD_KINDS[kind].FIELDS:  # the labels the app shows ("Contact e-mail")
        lookup.setdefault(normalise_key(spec.label), spec.name)
    for column, synonyms in SYNONYMS[kind].items():
        for synonym in synonyms:
            lookup.setdefault(normalise_key(synonym), column)
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = normalise_key(header)
        key = re.sub(r"_(usd|weeks|wks|yes_no|y_n|date)$", "", key) if key not in lookup else key
        column = lookup.get(key, "")
        if column and column not in mapping.values():
            mapping[index] = column
        elif header.strip():
            unknown.append(header.strip())
    return mapping, unknown


def _clean(column: str, value: str) -> str:
    value = value.strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:  # neutralised on export (_guarded)
        value = value[1:]
    if column == "weeks":
        match = re.fullmatch(r"(\d+)\s*(months?|mo)", value, re.I)
        if match:
            return str(int(match.group(1)) * 4)
        value = re.sub(r"\s*(weeks?|wks?|w)$", "", value, flags=re.I)
    if column in ("done", "correct", "follow_ups"):
        value = value.replace(",", "")
    if column == "score":
        value = value.rstrip("%").strip()
    return value


def _key(kind: str, record: Any, label: Callable[[int | None], str]) -> tuple[Any, ...]:
    """What makes a row the same record as a stored one (the README lists these). Question-
    bank blocks of one day and mode are told apart by their order in the day (``_numbered``)."""
    if kind == "sites":
        return (*site_key(record), record.start)
    if kind == "exams":
        return (normalise_form(record.form), record.taken)
    if kind == "qbank":
        return (record.day, record.mode)
    if kind == "inquiries":
        return (label(record.site_id).lower(), record.sent, record.subject.lower(), record.contact.lower())
    if kind == "documents":
        return (label(record.site_id).lower(), record.name.lower())
    if kind == "programs":
        return (" ".join(record.name.lower().split()), record.state.strip().lower())
    return (record.writer.lower(), label(record.site_id).lower(), record.asked)


def _numbered(keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each key with how many times it came before: the 2nd block of a day is (day, mode, 1)."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for key in keys:
        out.append((*key, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return out


class Unreadable(ValueError):
    """A file that is not CSV text as imgtui reads it: where, and what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode
    Text"), or all cp1252 (older Excel "CSV (Windows)"). A file that mixes encodings
    would import garbled: refused with the line of the first byte that does not fit."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unreadable(_line_of(raw, exc.start), "not valid UTF-16 text; save the file again") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]", raw):  # other text is UTF-8: two encodings in one file
            raise Unreadable(
                line, f"byte 0x{raw[exc.start]:02x} is not UTF-8 though the rest is; save the file again as UTF-8"
            ) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise Unreadable(_line_of(raw, exc.start), "not text in a known encoding; save it again as UTF-8 CSV") from None


def read_rows(text: str) -> list[tuple[int, list[str]]]:
    """Each row with the line it starts on. A quote that is never closed would swallow
    the rest of the file into one cell: refused with its line."""
    delimiter = _detect_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc) or "EOF" in str(exc):
            raise Unreadable(start, 'a quoted cell is never closed (a " opens it); close or remove the quote') from None
        # Something strict parsing refuses but spreadsheets write (text after a closing quote): read leniently.
        lenient = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows, start = [], 1
        try:
            for row in lenient:
                rows.append((start, row))
                start = lenient.line_num + 1
        except csv.Error as again:
            raise Unreadable(start, f"not readable as CSV ({again}); save it again as CSV") from None
    return rows


def read_import(
    store: Store,
    kind: str,
    path: Path,
    *,
    raw: bytes | None = None,
    latest: date | None = None,
    clear_blanks: bool = False,
) -> tuple[ImportReport, list[Record]]:
    """Read and check the CSV file at ``path`` (or ``raw``, its bytes read elsewhere, e.g.
    from stdin): the report and the records to store. Nothing is written here.

    A row that matches a stored record updates only the columns the file has (a blank
    cell clears its field only with ``clear_blanks``); events
    dated after ``latest`` are refused as they are in the app."""
    report = ImportReport(kind)
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.problems.append(RowProblem(0, "-", f"cannot read {path}: {exc.strerror}"))
            return report, []
    try:
        text = decode(raw)
        if not text.strip():
            raise Unreadable(1, "the file is empty; expected a header row")
        numbered = read_rows(text)
    except Unreadable as exc:
        report.problems.append(RowProblem(exc.line, "-", exc.message))
        return report, []
    reader = RowReader(store, kind, numbered[0][1], report, latest, clear_blanks)
    missing = reader.missing_columns()
    if missing:
        named = ", ".join(h for h in reader.headers if h.strip())
        report.problems.append(RowProblem(1, "-", f"missing column(s) {', '.join(missing)}; the header has {named}"))
        return report, []
    report.unknown_columns = reader.unknown
    report.unknown_handling = "kept in notes" if reader.has_notes else "ignored"
    for line_no, row in numbered[1:]:
        if any(cell.strip() for cell in row):
            reader.read(line_no, row)
        else:
            report.skipped_blank += 1
    return report, list(reader.accepted.values())


class RowReader:
    """Reads the rows of one import file against the store: each row becomes a new record
    or an update of the stored one it matches, or problems for the report."""

    def __init__(
        self,
        store: Store,
        kind: str,
        headers: list[str],
        report: ImportReport,
        latest: date | None,
        clear_blanks: bool,
    ) -> None:
        self.kind, self.headers, self.report = kind, headers, report
        self.latest, self.clear_blanks = latest, clear_blanks
        self.mapping, self.unknown = map_headers(kind, headers)
        self.record_cls = RECORD_KINDS[kind]
        self.label = _site_label(store)
        in_store = sorted(store.records(self.record_cls), key=lambda r: r.doc_id or 0)
        self.stored = dict(zip(_numbered([_key(kind, r, self.label) for r in in_store]), in_store, strict=True))
        # Blocks of one day and mode are told apart by their order; any other row whose key
        # came before in the file is the same record again (its later cells win).
        self.repeats: dict[tuple[Any, ...], int] = {}
        self.accepted: dict[tuple[Any, ...], Record] = {}
        self.has_notes = "notes" in self.record_cls.field_names()
        self.unknown_index = [i for i, h in enumerate(headers) if h.strip() in self.unknown]
        self.sites_by_name: dict[str, int] = {}
        for site in store.sites():
            self.sites_by_name.setdefault(site.name.strip().lower(), site.doc_id or 0)

    def missing_columns(self) -> list[str]:
        required = [s.name for s in self.record_cls.FIELDS if s.required and s.name != "site_id"]
        if self.kind == "inquiries":
            required.append("site")
        return [c for c in required if c not in self.mapping.values()]

    def problem(self, line_no: int, column: str, message: str) -> RowProblem:
        return RowProblem(line_no, _header(self.headers, self.mapping, column), message)

    def read(self, line_no: int, row: list[str]) -> None:
        values = {column: _clean(column, row[i] if i < len(row) else "") for i, column in self.mapping.items()}
        problems = self.link_site(line_no, values)
        self.keep_unknown_columns(row, values)
        if not problems:
            problems = self.accept(line_no, values)
        self.report.problems.extend(problems)

    def link_site(self, line_no: int, values: dict[str, Any]) -> list[RowProblem]:
        """The site column, a name, becomes the site's id."""
        if "site" not in values:
            return []
        name = values.pop("site").strip()
        if not name:
            return [self.problem(line_no, "site", "is required")] if self.kind == "inquiries" else []
        site_id = self.sites_by_name.get(name.lower())
        if site_id is None:
            return [self.problem(line_no, "site", f"no USCE site named {name!r}; import or add the site first")]
        values["site_id"] = site_id
        return []

    def keep_unknown_columns(self, row: list[str], values: dict[str, Any]) -> None:
        """Cells of columns imgtui does not know go into the notes, named by their header."""
        if not (self.has_notes and self.unknown_index):
            return
        extra = [
            f"{self.headers[i].strip()}: {row[i].strip()}"
            for i in self.unknown_index
            if i < len(row) and row[i].strip()
        ]
        if extra:
            values["notes"] = "; ".join(([values["notes"]] if values.get("notes") else []) + extra)

    def accept(self, line_no: int, values: dict[str, Any]) -> list[RowProblem]:
        """The row as a new record, or as a change to the record it matches."""
        try:
            record = self.record_cls.from_input(values)
            plain = _key(self.kind, record, self.label)
            key = (*plain, self.repeats.get(plain, 0))
            if self.kind == "qbank":
                self.repeats[plain] = key[-1] + 1
            base = self.accepted.get(key) or self.stored.get(key)
            if base is not None:  # the same record again: only the columns given change
                given = {k: v for k, v in values.items() if self.clear_blanks or str(v).strip()}
                record = self.record_cls.from_input(given, base=base)
            problem = record.future_problem(self.latest) if self.latest else None
            if problem is not None:
                raise ValidationErrors([problem])
        except ValidationErrors as exc:
            return [self.problem(line_no, error.field, error.message) for error in exc.errors]
        if base is None:
            self.report.added += 1
        elif base.doc_id is not None:  # a stored record (a repeated new row counts once)
            self.report.updated += 1
        self.accepted[key] = record
        return []


def _header(headers: list[str], mapping: dict[int, str], column: str) -> str:
    for index, name in mapping.items():
        if name == column:
            return headers[index].strip()
    return column
