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
from .core import outreach
from .core import usce as usce_rules
from .core.outreach import suggested_template
from .core.overview import Overview, Snapshot, build_overview
from .core.rules import Rules, default_rules
from .drafts import Draft, Template, load_templates, render
from .paths import Signature
from .records import (
    PROGRAM_STATUSES,
    RECORD_KINDS,
    Inquiry,
    Letter,
    PracticeExam,
    Profile,
    Program,
    QbankDay,
    Record,
    SiteDocument,
    UsceSite,
    ValidationError,
    ValidationErrors,
    choice_label,
    clean_text,
    resolve_relative_days,
)
from .store import Store

# The reasons a site leaves the work list, and the status each gives it.
RETIRE_REASONS = {"no-reply": "not_responding", "declined": "declined", "do-not-contact": "do_not_contact"}


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
        self.calendar_problem: str | None = None
        store.after_change.append(self.write_calendar)

    def write_calendar(self) -> None:
        """Rewrite the profile's calendar file (if set) after a change: atomically, so a
        calendar app or a synced folder never reads half a file. A failure is kept in
        ``calendar_problem`` and never undoes the change."""
        path = self.store.profile().calendar_file.strip()
        if not path:
            return
        from .ics import export_ics, is_our_calendar

        target = Path(path).expanduser()
        try:
            if target.exists() and not is_our_calendar(target):  # never overwrite someone else's file
                self.calendar_problem = f"{target} is not a calendar imgtui wrote: it was left as it is"
                return
            export_ics(self.overview(), self.rules, self.store.calendar_id(), target)
            self.calendar_problem = None
        except OSError as exc:
            self.calendar_problem = f"the calendar file {target} was not rewritten: {exc.strerror or exc}"

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
            tuple(store.documents()),
            tuple(store.programs()),
        )

    def overview(self) -> Overview:
        """Everything the app shows for today, computed again only after a change."""
        key = (self.store.disk_signature(), self.today())
        if self._overview is None or self._overview[0] != key:
            self._overview = (key, build_overview(self.snapshot(), key[1], self.rules))
        return self._overview[1]

    def sites(self) -> list[UsceSite]:
        """Every site, as last read for the overview while the file has not changed since
        (reading 2,000 sites again costs about 50 ms on each edit)."""
        if self._overview is not None and self._overview[0][0] == self.store.disk_signature():
            return list(self._overview[1].snapshot.sites)
        return self.store.sites()

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
        problem = usce_rules.second_entry_problem(site, self.sites())
        if problem is not None:
            raise ValidationErrors([ValidationError("start", problem)])

    def add_site(self, site: UsceSite) -> Saved:
        self._no_second_entry(site)
        note = usce_rules.also_listed_note(site, self.sites())
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
            status = usce_rules.status_after_reply(status, inquiry.reply_gist)
        if status != site.status:
            self.store.save(site.replace(status=status))

    def mark_reply(self, inquiry_id: int, when: date | None = None, gist: str | None = None) -> Saved:
        """Their reply, with what it said (yes, no, needs documents, other): the site moves on."""
        inquiry: Inquiry | None = self.get(Inquiry, inquiry_id)
        if inquiry is None:
            raise ValidationErrors([ValidationError("inquiry", f"no inquiry #{inquiry_id}")])
        if inquiry.replied:
            return Saved(inquiry, f"Already marked replied on {inquiry.replied}.", changed=False)
        try:
            gist = Inquiry.spec("reply_gist").parse(gist)
        except ValidationError as exc:
            raise ValidationErrors([exc]) from None
        replied = inquiry.replace(replied=max(when or self.latest_event_day(), inquiry.sent), reply_gist=gist)
        self._not_in_future(replied)
        site: UsceSite | None = self.get(UsceSite, inquiry.site_id)
        with self.store.change("Mark reply"):
            self.store.save(replied, expected=inquiry)
            if site is not None:
                self._move_site(site, replied)
        moved = self.get(UsceSite, inquiry.site_id)
        now = (
            f"; {moved.name} is now {choice_label(moved.status)}"
            if moved and site and moved.status != site.status
            else ""
        )
        said = f" ({choice_label(gist)})" if gist else ""
        return Saved(replied, f"Marked replied{said}{now}")

    def follow_up(self, inquiry_id: int) -> Saved:
        inquiry: Inquiry | None = self.get(Inquiry, inquiry_id)
        if inquiry is None:
            raise ValidationErrors([ValidationError("inquiry", f"no inquiry #{inquiry_id}")])
        if inquiry.replied:
            return Saved(inquiry, "They already replied; no follow-up needed.", changed=False)
        day = max(self.latest_event_day(), inquiry.sent)
        # A follow-up sent ends a snooze: the next one counts from it.
        updated = inquiry.replace(
            follow_ups=inquiry.follow_ups + 1, last_follow_up=day, snoozed_until=None, snooze_reason=""
        )
        saved = self.store.save(updated, "Follow-up", expected=inquiry)
        status = usce_rules.follow_up(saved, self.store.profile(), self.today(), self.rules)
        extra = f" — {usce_rules.not_responding_text(saved.follow_ups)} [inquiries]" if status.not_responding else ""
        return Saved(saved, f"Follow-up #{saved.follow_ups} logged{extra}")

    # -- outreach: drafts, snoozes, retired sites, documents
    def site(self, site_id: int) -> UsceSite:
        site: UsceSite | None = self.get(UsceSite, site_id)
        if site is None:
            raise ValidationErrors([ValidationError("site", f"no USCE site #{site_id}")])
        return site

    def find_site(self, text: str) -> UsceSite:
        """A site named on the command line: its number (#3 or 3), its name, or a part of
        the name that only one site has."""
        sites = self.store.sites()
        wanted = text.strip().lstrip("#")
        if wanted.isdigit():
            return self.site(int(wanted))
        needle = " ".join(wanted.lower().split())
        exact = [s for s in sites if " ".join(s.name.lower().split()) == needle]
        found = exact or [s for s in sites if needle and needle in s.name.lower()]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationErrors(
                [ValidationError("site", f"no site named '{text}'; 'imgtui export-csv sites -' lists them")]
            )
        names = ", ".join(f"#{s.doc_id} {s.name} ({s.city or 'no city'})" for s in found[:5])
        raise ValidationErrors(
            [ValidationError("site", f"'{text}' matches {len(found)} sites ({names}): give its number")]
        )

    def templates(self) -> dict[str, Template]:
        return load_templates()

    def suggested_template(self, site_id: int) -> str:
        return suggested_template(self.site(site_id), self.store.inquiries(site_id), self.today())

    def draft(self, template: str, site_id: int, inquiry_id: int | None = None, contact: str | None = None) -> Draft:
        """The e-mail ``template`` asks for, to this site (and, for follow-ups, the open inquiry)."""
        templates = self.templates()
        if template not in templates:
            raise ValidationErrors(
                [ValidationError("template", f"no template '{template}'; one of: {', '.join(sorted(templates))}")]
            )
        site = self.site(site_id)
        inquiries = [i for i in self.store.inquiries(site_id) if usce_rules.expects_reply(i)]
        inquiry: Inquiry | None = None
        if inquiry_id is not None:
            inquiry = self.get(Inquiry, inquiry_id)
        elif inquiries:  # the latest e-mail asking for a place: follow-ups quote it
            open_ones = [i for i in inquiries if not i.replied] or inquiries
            inquiry = open_ones[-1]
        if template in ("first-inquiry", "cold-attending"):
            inquiry = None  # a first e-mail quotes nothing
        if contact is None and inquiry is None and inquiries:
            contact = inquiries[-1].contact
        return render(templates[template], self.profile(), site, inquiry, contact)

    def mark_sent(self, draft: Draft, subject: str | None = None) -> Saved:
        """The user sent ``draft`` from their mail program: log it. A first e-mail is a new
        inquiry; a follow-up counts on its inquiry; a letter request adds the letter; the
        others are kept as an e-mail to the site, with their template."""
        site = self.site(draft.site_id)
        subject = subject if subject is not None else draft.subject
        if draft.template.startswith("follow-up") and draft.inquiry_id is not None:
            return self.follow_up(draft.inquiry_id)
        day = self.latest_event_day()
        inquiry = Inquiry.from_input(
            {
                "site_id": site.doc_id,
                "sent": day,
                "contact": draft.contact,
                "email": draft.to or None,
                "subject": subject,
                "template": draft.template,
            }
        )
        with self.store.change(f"Sent {draft.template} to {site.name}"):
            saved = self.log_inquiry(inquiry)
            if draft.template == "letter-request" and not self.store.letters(site.doc_id):
                writer = draft.contact or f"attending at {site.name}"
                letter = Letter(writer=writer, site_id=site.doc_id, specialty=site.specialty, asked=day)
                self.store.save(letter)
                return Saved(saved.record, f"Logged the letter request to {writer} at {site.name}")
        return Saved(saved.record, f"Logged {draft.template} to {site.name} on {day}")

    def snooze(self, inquiry_id: int, until: date, reason: str = "") -> Saved:
        inquiry: Inquiry | None = self.get(Inquiry, inquiry_id)
        if inquiry is None:
            raise ValidationErrors([ValidationError("inquiry", f"no inquiry #{inquiry_id}")])
        if until <= self.today():
            raise ValidationErrors([ValidationError("snoozed_until", f"{until} is not after today; pick a later date")])
        updated = inquiry.replace(snoozed_until=until, snooze_reason=clean_text(reason)[:200])
        saved = self.store.save(updated, "Snooze follow-up", expected=inquiry)
        why = f" ({saved.snooze_reason})" if saved.snooze_reason else ""
        return Saved(saved, f"Follow-up snoozed until {until}{why}")

    def retire(self, site_id: int, reason: str) -> Saved:
        """Take a site off the work list, kept with its reason as its status."""
        status = RETIRE_REASONS.get(reason)
        if status is None:
            raise ValidationErrors(
                [ValidationError("reason", f"'{reason}' is not a reason; one of: {', '.join(RETIRE_REASONS)}")]
            )
        site = self.site(site_id)
        saved = self.store.save(site.replace(status=status), f"Retire {site.name}", expected=site)
        return Saved(saved, f"{site.name} retired ({choice_label(status)}); n or the Status cell brings it back")

    def documents(self, site_id: int) -> list[SiteDocument]:
        return outreach.checklist(self.site(site_id), self.store.documents(site_id), self.rules)

    def mark_document(self, document: SiteDocument, field: str) -> Saved:
        """Toggle one step of a checklist item: ``sent`` or ``requested`` (today, or blank
        again), or ``needed``. A default item is stored on its first change."""
        day = self.latest_event_day()
        if field == "needed":
            changed = document.replace(needed=not document.needed)
        elif field in ("sent", "requested"):
            value = None if getattr(document, field) else day
            changed = document.replace(**{field: value})
            if field == "sent" and value and document.requested and document.requested > value:
                changed = changed.replace(requested=value)
        else:
            raise ValueError(field)
        changed.check()
        label = f"{document.name}: {field}"
        saved = self.store.save(changed, label, expected=document if document.doc_id else None)
        state = {
            "sent": f"sent {saved.sent}" if saved.sent else "not sent",
            "requested": f"requested {saved.requested}" if saved.requested else "not requested",
            "needed": "needed" if saved.needed else "not needed for this site",
        }[field]
        return Saved(saved, f"{saved.name}: {state}")

    def add_document(self, site_id: int, name: str) -> Saved:
        site = self.site(site_id)
        document = SiteDocument.from_input({"site_id": site.doc_id, "name": name})
        if any(d.name.lower() == document.name.lower() for d in self.documents(site_id)):
            raise ValidationErrors([ValidationError("name", f"{document.name} is already on {site.name}'s list")])
        saved = self.store.save(document, f"Add {document.name}")
        return Saved(saved, f"Added {saved.name} to {site.name}'s documents")

    # -- the program list
    def add_program(self, program: Program) -> Saved:
        """A program not listed already (same name and state)."""
        key = (" ".join(program.name.lower().split()), program.state.strip().lower())
        for other in self.store.programs():
            if (" ".join(other.name.lower().split()), other.state.strip().lower()) == key:
                problem = f"{other.name} ({other.state or 'no state'}) is already on the list: edit that row"
                raise ValidationErrors([ValidationError("name", problem)])
        saved = self.store.save(program, "Add program")
        return Saved(saved, f"Added {saved.name}")

    def next_program_status(self, program_id: int) -> Saved:
        program: Program | None = self.get(Program, program_id)
        if program is None:
            raise ValidationErrors([ValidationError("program", f"no program #{program_id}")])
        order = PROGRAM_STATUSES[: PROGRAM_STATUSES.index("ranked") + 1]
        if program.status not in order or program.status == order[-1]:
            problem = f"{choice_label(program.status)} ends the list: set another status on the Status cell"
            raise ValidationErrors([ValidationError("status", problem)])
        status = order[order.index(program.status) + 1]
        saved = self.store.save(program.replace(status=status), "Program status", expected=program)
        return Saved(saved, f"{program.name}: {choice_label(status)}")

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
            saved = self.store.save_many(accepted, f"Import {kind} from {path.name}")
            if kind == "inquiries":
                for inquiry in saved:
                    assert isinstance(inquiry, Inquiry)
                    site = self.get(UsceSite, inquiry.site_id)
                    if site is not None:
                        self._move_site(site, inquiry)
        report.written = True
        return report
