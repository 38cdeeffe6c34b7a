"""The use cases of imgtui, one place for the app and the command line.

Each method takes values as people give them, applies the business rules the
planning core defines (events are not logged ahead of time, a rotation is not
entered twice, a site's status follows its e-mails) and writes through the
store. The overview is computed once per version of the file and day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import csvio
from .core import usce as usce_rules
from .core.overview import Overview, Snapshot, build_overview
from .core.rules import Rules, default_rules
from .paths import Signature
from .records import (
    RECORD_KINDS,
    Inquiry,
    PracticeExam,
    Profile,
    QbankDay,
    Record,
    UsceSite,
    ValidationError,
    ValidationErrors,
    choice_label,
    resolve_relative_days,
)
from .store import Store


@dataclass(frozen=True)
class Saved:
    """What a use case did: the record it wrote and a line for the user (with a warning, if any)."""

    record: Record
    message: str
    warning: str | None = None
    changed: bool = True  # False: nothing needed doing (already replied...)


class Planner:
    """Every use case, over one store. ``today`` is the as-of date (a callable for the
    app, whose day changes at midnight); events are never stored after the real date."""

    def __init__(self, store: Store, rules: Rules | None = None, today: date | Callable[[], date] | None = None):
        self.store = store
        self.rules = rules or default_rules()
        self._today = today
        self._overview: tuple[tuple[Signature | None, date], Overview] | None = None

    # -- the clock
    def today(self) -> date:
        if callable(self._today):
            return self._today()
        return self._today or date.today()

    def latest_event_day(self) -> date:
        """Events (exams, blocks, e-mails) happen on or before this day: the as-of date,
        and never after the real one (a what-if must not store the future)."""
        return min(self.today(), date.today())

    # -- reading
    def snapshot(self) -> Snapshot:
        store = self.store
        return Snapshot(
            store.profile(),
            tuple(store.exams()),
            tuple(store.qbank_days()),
            tuple(store.sites()),
            tuple(store.inquiries()),
            tuple(store.letters()),
        )

    def overview(self) -> Overview:
        """Everything the app shows for today, computed again only after a change."""
        key = (self.store.disk_signature(), self.today())
        if self._overview is None or self._overview[0] != key:
            self._overview = (key, build_overview(self.snapshot(), key[1], self.rules))
        return self._overview[1]

    def profile(self) -> Profile:
        return self.store.profile()

    def get(self, cls: type[Record], doc_id: int) -> Any:
        return self.store.get(cls, int(doc_id))

    # -- checks shared by every write
    def _not_in_future(self, record: Record) -> None:
        problem = record.future_problem(self.latest_event_day())
        if problem is not None:
            raise ValidationErrors([problem])

    def _parse(self, cls: type[Record], values: Mapping[str, Any], base: Record | None = None) -> Any:
        record = cls.from_input(resolve_relative_days(cls, dict(values), self.today()), base=base)
        self._not_in_future(record)
        return record

    # -- study
    def log_exam(self, values: Mapping[str, Any]) -> PracticeExam:
        exam: PracticeExam = self._parse(PracticeExam, values)
        return self.store.save(exam, f"Log {exam.form}")

    def log_qbank(self, values: Mapping[str, Any]) -> QbankDay:
        day: QbankDay = self._parse(QbankDay, values)
        return self.store.save(day, "Log question-bank day")

    def save_record(self, record: Record, label: str, *, expected: Record | None = None) -> Record:
        """A record edited as a whole (a form): the same checks as when it was logged."""
        self._not_in_future(record)
        if isinstance(record, UsceSite):
            self._no_second_entry(record)
        return self.store.save(record, label, expected=expected)

    def update_profile(self, values: Mapping[str, Any], label: str = "Edit profile") -> Profile:
        return self.store.update_profile(resolve_relative_days(Profile, dict(values), self.today()), label)

    # -- USCE sites
    def _no_second_entry(self, site: UsceSite) -> None:
        problem = usce_rules.second_entry_problem(site, self.store.sites())
        if problem is not None:
            raise ValidationErrors([ValidationError("start", problem)])

    def add_site(self, site: UsceSite) -> Saved:
        self._no_second_entry(site)
        note = usce_rules.also_listed_note(site, self.store.sites())
        saved = self.store.save(site, "Add site")
        return Saved(saved, f"Added {saved.name}", note)

    def next_status(self, site_id: int) -> Saved:
        site: UsceSite | None = self.get(UsceSite, site_id)
        if site is None:
            raise ValidationErrors([ValidationError("site", f"no USCE site #{site_id}")])
        status = usce_rules.next_status(site.status)
        if status is None:
            raise ValidationErrors(
                [
                    ValidationError(
                        "status",
                        f"{choice_label(site.status)} ends the pipeline: set another status on the Status cell",
                    )
                ]
            )
        new = self.store.save(site.replace(status=status), "Status change", expected=site)
        return Saved(new, f"{site.name}: {choice_label(status)}")

    # -- inquiries and letters
    def log_inquiry(self, inquiry: Inquiry) -> Saved:
        """An e-mail sent to a site: the inquiry is stored and the site moves on (an idea
        becomes contacted; a reply already in makes it replied)."""
        self._not_in_future(inquiry)
        site: UsceSite | None = self.get(UsceSite, inquiry.site_id)
        if site is None:
            raise ValidationErrors([ValidationError("site_id", f"no USCE site #{inquiry.site_id}")])
        with self.store.change(f"Log inquiry to {site.name}"):
            saved = self.store.save(inquiry)
            self._move_site(site, inquiry)
        return Saved(saved, f"Logged inquiry to {site.name}")

    def _move_site(self, site: UsceSite, inquiry: Inquiry) -> None:
        status = usce_rules.status_after_inquiry(site.status)
        if inquiry.replied:
            status = usce_rules.status_after_reply(status)
        if status != site.status:
            self.store.save(site.replace(status=status))

    def mark_reply(self, inquiry_id: int, when: date | None = None) -> Saved:
        inquiry: Inquiry | None = self.get(Inquiry, inquiry_id)
        if inquiry is None:
            raise ValidationErrors([ValidationError("inquiry", f"no inquiry #{inquiry_id}")])
        if inquiry.replied:
            return Saved(inquiry, f"Already marked replied on {inquiry.replied}.", changed=False)
        replied = inquiry.replace(replied=max(when or self.latest_event_day(), inquiry.sent))
        self._not_in_future(replied)
        site: UsceSite | None = self.get(UsceSite, inquiry.site_id)
        with self.store.change("Mark reply"):
            self.store.save(replied, expected=inquiry)
            if site is not None:
                self._move_site(site, replied)
        return Saved(replied, "Marked replied")

    def follow_up(self, inquiry_id: int) -> Saved:
        inquiry: Inquiry | None = self.get(Inquiry, inquiry_id)
        if inquiry is None:
            raise ValidationErrors([ValidationError("inquiry", f"no inquiry #{inquiry_id}")])
        if inquiry.replied:
            return Saved(inquiry, "They already replied; no follow-up needed.", changed=False)
        day = max(self.latest_event_day(), inquiry.sent)
        updated = inquiry.replace(follow_ups=inquiry.follow_ups + 1, last_follow_up=day)
        saved = self.store.save(updated, "Follow-up", expected=inquiry)
        status = usce_rules.follow_up(saved, self.store.profile(), self.today(), self.rules)
        extra = f" — {usce_rules.not_responding_text(saved.follow_ups)} [inquiries]" if status.not_responding else ""
        return Saved(saved, f"Follow-up #{saved.follow_ups} logged{extra}")

    # -- deleting, undo, redo
    def delete(self, kind: str, doc_id: int) -> str:
        """Delete one record (a ``RECORD_KINDS`` name); returns what was deleted."""
        cls = RECORD_KINDS[kind]
        record = self.get(cls, doc_id)
        if record is None:
            raise ValidationErrors([ValidationError(kind, f"no record #{doc_id}")])
        what: str = record.describe()
        self.store.delete(cls, int(doc_id), f"Delete {what}", expected=record)
        return what

    def undo(self) -> str | None:
        return self.store.undo()

    def redo(self) -> str | None:
        return self.store.redo()

    # -- files
    def import_csv(
        self,
        kind: str,
        path: Path,
        *,
        dry_run: bool = False,
        skip_bad: bool = False,
        clear_blanks: bool = False,
        raw: bytes | None = None,
    ) -> csvio.ImportReport:
        """Read a CSV file and store its rows as the app would: inquiries move their sites."""
        report, accepted = csvio.read_import(
            self.store, kind, path, raw=raw, latest=self.latest_event_day(), clear_blanks=clear_blanks
        )
        report.dry_run = dry_run
        if dry_run or not accepted or (report.problems and not skip_bad):
            return report
        with self.store.change(f"Import {kind} from {path.name}"):
            self.store.save_many(accepted, f"Import {kind} from {path.name}")
            if kind == "inquiries":
                for inquiry in accepted:
                    assert isinstance(inquiry, Inquiry)
                    site = self.get(UsceSite, inquiry.site_id)
                    if site is not None:
                        self._move_site(site, inquiry)
        report.written = True
        return report
