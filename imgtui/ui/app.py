"""The imgtui application: tabs over the store and the planning core."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane

from ..core.overview import Overview, build_overview, snapshot_from_store
from ..core.rules import Rules, default_rules
from ..core.usce import next_status, status_after_inquiry, status_after_reply
from ..records import (
    FORM_SUGGESTIONS,
    RECORD_KINDS,
    Inquiry,
    Letter,
    PracticeExam,
    QbankDay,
    Record,
    UsceSite,
    ValidationErrors,
)
from ..store import Store, StoreError
from .providers import COMMANDS, ImgtuiCommands
from .screens.forms import ConfirmScreen, NoticeScreen, RecordForm
from .screens.help import HelpScreen
from .widgets.profile import ProfilePane
from .widgets.schedule import SchedulePane
from .widgets.sheet import Sheet
from .widgets.today import TodayPane
from .widgets.usce import UscePane

# Set by the start-up benchmark to seconds (0: at once): run headless, quit that long after the first frame.
EXIT_AFTER_FIRST_FRAME = "IMGTUI_EXIT_AFTER_FIRST_FRAME"
# The fields each record's form shows, in order, and the suggestions it offers.
FORM_FIELDS: dict[type[Record], list[str]] = {
    PracticeExam: ["form", "taken", "score", "notes"],
    QbankDay: ["day", "done", "correct", "mode"],
    Inquiry: ["sent", "contact", "email", "subject", "replied", "follow_ups", "last_follow_up", "notes"],
    Letter: ["writer", "us_faculty", "specialty", "asked", "agreed", "uploaded", "notes"],
    # A new site asks for the essentials; every other column is edited in the sheet.
    UsceSite: ["name", "city", "specialty", "usce_type", "start", "weeks", "cost"],
}
FORM_HINTS: dict[type[Record], dict[str, Any]] = {PracticeExam: {"form": FORM_SUGGESTIONS}}
# Where Enter on a Today line puts the focus (the pane's default when absent).
GOTO_FOCUS = {
    "setup": "#field-study_start",
    "questions": "#qbank",
    "catchup": "#qbank",
    "checkpoint": "#exams",
    "follow_up": "#inquiries",
    "not_responding": "#sites",
    "letter": "#letters",
    "rotation": "#sites",
    "outreach": "#sites",
    "more_usce": "#sites",
}


PANES: dict[str, type[TodayPane | ProfilePane | SchedulePane | UscePane]] = {
    "today": TodayPane,
    "profile": ProfilePane,
    "schedule": SchedulePane,
    "usce": UscePane,
}


class ImgtuiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "imgtui"
    COMMANDS = App.COMMANDS | {ImgtuiCommands}
    BINDINGS = [
        Binding("1", "show_pane('today')", "Today", id="app.today"),
        Binding("2", "show_pane('profile')", "Profile", id="app.profile"),
        Binding("3", "show_pane('schedule')", "Schedule", id="app.schedule"),
        Binding("4", "show_pane('usce')", "USCE", id="app.usce"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        store: Store,
        today: date | Callable[[], date] | None = None,
        rules: Rules | None = None,
        poll_seconds: float = 2.0,
    ) -> None:
        super().__init__()
        self.store = store
        self._today = today
        self.rules = rules or default_rules()
        self.poll_seconds = poll_seconds
        self.overview: Overview | None = None
        self._stale: set[str] = set()  # panes not yet showing the latest overview
        self._panes_mounted = False
        self._seen = store.disk_signature()
        # The benchmarks time start-up to the first drawn Today screen, then quit
        # (at once, or after the given seconds to measure the memory of a settled app).
        linger = os.environ.get(EXIT_AFTER_FIRST_FRAME, "").strip()
        self.exit_after_first_frame: float | None = float(linger) if linger else None

    def post_display_hook(self) -> None:
        if self._panes_mounted or self.overview is None:
            return
        self._panes_mounted = True
        if self.exit_after_first_frame == 0:  # the start-up benchmark: the first frame is drawn
            self.exit()
            return
        if self.exit_after_first_frame:
            self.set_timer(self.exit_after_first_frame, self.exit)
        self.call_later(self._mount_hidden_panes)

    def on_key(self, event: events.Key) -> None:
        """Type-ahead into a text box that has just taken focus ('/lake' in the sheet).

        Keys typed behind the one that moved the focus were already queued for the old
        widget; they bubble up here unhandled. A focused Input stops its own printable
        keys, so a printable key arriving here belongs in it.
        """
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            event.prevent_default()
            event.stop()
            focused.insert_text_at_cursor(event.character)

    def say(self, message: str, **kwargs: Any) -> None:
        """notify() without markup: messages often carry user text like 'St. Mary [Main]'."""
        self.notify(message, markup=False, **kwargs)

    # -- clock (injected so tests and snapshots are deterministic)
    def today(self) -> date:
        if callable(self._today):
            return self._today()
        return self._today or date.today()

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="today", id="tabs"):
            with TabPane("1 Today", id="today"):
                yield TodayPane(id="today-pane")
            # The hidden panes are mounted after the first frame (post_display_hook):
            # Today shows first.
            yield TabPane("2 Profile", id="profile")
            yield TabPane("3 Schedule", id="schedule")
            yield TabPane("4 USCE", id="usce")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
        self.refresh_data()
        # What was loaded at start lives as long as the app: moved out of the cyclic
        # collector's reach, its full passes (130 ms on a large database) no longer
        # stall a key press. Records are acyclic and still freed when replaced.
        gc.freeze()
        self.query_one(TodayPane).focus_default()
        for notice in self.store.notices:
            self.push_screen(NoticeScreen("About your database", notice))
        for problem in self.store.problems:
            self.say(problem, severity="warning", timeout=10)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.poll_disk)

    def refresh_data(self) -> None:
        try:
            self.overview = build_overview(snapshot_from_store(self.store), self.today(), self.rules)
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            return
        self._seen = self.store.disk_signature()
        # Only the pane in view is filled now; the others when they are shown (a
        # 2,000-row sheet must not slow down the Today screen or a save elsewhere).
        self._stale = set(PANES)
        self._fill_pane(self.query_one("#tabs", TabbedContent).active or "today")

    def _fill_pane(self, pane: str) -> None:
        if pane in self._stale and self.overview is not None:
            try:
                widget = self.query_one(f"#{pane}-pane", PANES[pane])
            except NoMatches:  # not mounted yet: pane_mounted fills it
                return
            self._stale.discard(pane)
            widget.update_overview(self.overview)

    def _mount_hidden_panes(self) -> None:
        for pane, cls in PANES.items():
            if pane != "today":
                self.query_one(f"#{pane}", TabPane).mount(cls(id=f"{pane}-pane"))

    def pane_mounted(self, pane_id: str) -> None:
        """A lazily mounted pane arrived: fill it, and focus it if it is in view."""
        pane = pane_id.removesuffix("-pane")
        if self.query_one("#tabs", TabbedContent).active == pane:
            self._fill_pane(pane)
            self._focus_pane(pane)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self._fill_pane(event.pane.id)

    def poll_disk(self) -> None:
        """Pick up changes made by another process (e.g. `imgtui log-exam`)."""
        if self.store.changed_elsewhere(self._seen):
            self.refresh_data()
            self.say("Reloaded: the database was changed by another imgtui process.", timeout=3)

    # -- writing (every change goes through the store, then the view is rebuilt)
    def _write(self, label: str, change: Callable[[], Any]) -> bool:
        try:
            change()
        except ValidationErrors as exc:
            self.say(
                f"{exc} (nothing saved)",
                severity="error",
                timeout=8,
            )
            return False
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            return False
        except OSError as exc:  # disk full, permissions: the old file is left as it was
            self.say(f"Could not save ({exc.strerror}); nothing was changed.", severity="error", timeout=15)
            return False
        self.refresh_data()
        self.say(f"{label} (ctrl+z to undo)", timeout=3)
        return True

    def _save_from_form(self, label: str) -> Callable[[Record | None], None]:
        def done(record: Record | None) -> None:
            if record is not None:
                self._write(label, lambda: self.store.save(record, label))

        return done

    # -- navigation
    def action_show_pane(self, pane: str) -> None:
        self._fill_pane(pane)
        self.query_one("#tabs", TabbedContent).active = pane
        # Focus the pane's own widget at once: a focus left in the old pane would pull its tab back.
        self._focus_pane(pane)

    def _focus_pane(self, pane: str) -> None:
        with contextlib.suppress(NoMatches):  # a pane still being mounted focuses itself
            self.query_one(f"#{pane}-pane").focus_default()  # type: ignore[attr-defined]

    def on_today_pane_goto(self, message: TodayPane.Goto) -> None:
        """Enter on a Today line: open its pane and focus the widget where the user acts."""
        item = message.item
        self.action_show_pane(item.pane)
        target = GOTO_FOCUS.get(item.kind)

        def arrive() -> None:
            if item.pane == "usce" and item.record_id:
                self.query_one("#sites", Sheet).select_key(str(item.record_id))
            if target:
                widget = self.query_one(target)
                widget.focus()
                widget.scroll_visible(animate=False)

        self.call_after_refresh(arrive)

    def action_help(self) -> None:
        sections: list[tuple[str, list[tuple[str, str]]]] = []

        def rows(bindings: list[Any]) -> list[tuple[str, str]]:
            out = []
            for b in bindings:
                keys = ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in b.key.split(","))
                out.append((keys, b.description))
            return out

        sections.append(
            (
                "Everywhere",
                [
                    *rows(self.BINDINGS),
                    ("ctrl+p", "Command palette"),
                    ("ctrl+q", "Quit"),
                    ("Tab / shift+Tab", "Next / previous widget"),
                ],
            )
        )
        sections.append(("Today", rows(TodayPane.BINDINGS)))
        sections.append(
            (
                "Profile",
                [
                    ("Tab", "Next field"),
                    ("Enter / leave field", "Save a valid value"),
                    ("Esc", "Leave the field (then 1-4 switch panes)"),
                ],
            )
        )
        sections.append(("Schedule", rows(SchedulePane.BINDINGS)))
        sections.append(
            (
                "USCE tracker",
                [
                    *rows(UscePane.BINDINGS),
                    ("arrows, PgUp / PgDn", "Move by cell, by page"),
                    ("Home / End", "First / last column"),
                    ("ctrl+Home / ctrl+End", "First / last row"),
                    ("Enter", "Edit the cell"),
                    ("Esc", "Clear the filter"),
                ],
            )
        )
        sections.append(("Forms", [("Enter / ctrl+s", "Save"), ("Esc", "Cancel")]))
        sections.append(("Command palette", [(title, help_text) for title, help_text, _ in COMMANDS]))
        self.push_screen(HelpScreen(sections))

    # -- undo
    def action_undo(self) -> None:
        try:
            label = self.store.undo()
        except StoreError as exc:
            self.say(str(exc), severity="error")
            return
        if label is None:
            self.say("Nothing to undo since imgtui was opened.", severity="warning")
            return
        self.refresh_data()
        self.say(f"Undone: {label}", timeout=4)

    # -- profile
    def on_profile_pane_save(self, message: ProfilePane.Save) -> None:
        pane = self.query_one(ProfilePane)
        try:
            self.store.update_profile({message.field: message.value})
        except ValidationErrors as exc:
            pane.show_result(message.field, "; ".join(e.message for e in exc.errors))
            return
        except StoreError as exc:
            self.say(str(exc), severity="error")
            return
        pane.show_result(message.field, None)
        self.refresh_data()
        self.say(f"Saved {message.field.replace('_', ' ')} (ctrl+z to undo)", timeout=2)

    # -- forms (one field list per kind; logged events may not be in the future)
    def _not_future(self, record: Record) -> str | None:
        problem = record.future_problem(self.today())
        return problem.message if problem else None

    def _open_form(
        self,
        title: str,
        cls: type[Record],
        done: str | Callable[[Record | None], None],
        *,
        fields: list[str] | None = None,
        **form_args: Any,
    ) -> None:
        """Open the record form; ``done`` is a save label or a callback of one's own."""
        callback = self._save_from_form(done) if isinstance(done, str) else done
        form = RecordForm(
            title,
            cls,
            fields or FORM_FIELDS[cls],
            suggestions=FORM_HINTS.get(cls),
            check=self._not_future,
            **form_args,
        )
        self.push_screen(form, callback)

    # -- practice exams and question bank
    def action_log_exam(self) -> None:
        today = self.today().isoformat()
        self._open_form("Log practice exam", PracticeExam, "Logged practice exam", initial={"taken": today})

    def action_edit_exam(self, doc_id: int) -> None:
        if (exam := self.store.get(PracticeExam, int(doc_id))) is not None:
            self._open_form(f"Edit {exam.form}", PracticeExam, "Edited practice exam", base=exam)

    def action_log_qbank(self) -> None:
        today = self.today().isoformat()
        self._open_form("Log question-bank block", QbankDay, "Logged questions", initial={"day": today})

    def action_edit_qbank(self, doc_id: int) -> None:
        if (day := self.store.get(QbankDay, int(doc_id))) is not None:
            self._open_form(f"Edit question-bank day {day.day}", QbankDay, "Edited questions", base=day)

    def action_apply_suggested_date(self) -> None:
        ov = self.overview
        if ov is None or ov.decision.suggested_exam_date is None:
            self.say("The decision suggests no new exam date.", severity="warning")
            return
        new = ov.decision.suggested_exam_date
        old = ov.snapshot.profile.exam_date

        def apply(yes: bool | None) -> None:
            if yes:
                self._write(
                    f"Exam moved to {new}",
                    lambda: self.store.update_profile({"exam_date": new.isoformat()}, f"Re-plan to {new}"),
                )

        self.push_screen(
            ConfirmScreen(
                f"Move the exam from {old} to {new}? Phases and planned checkpoints move "
                "with it; logged scores and questions stay."
            ),
            apply,
        )

    # -- USCE
    def action_add_site(self) -> None:
        def added(record: Record | None) -> None:
            if record is not None and self._write("Added site", lambda: self.store.save(record, "Add site")):
                self.action_show_pane("usce")
                self.call_after_refresh(
                    lambda: self.query_one(UscePane).query_one("#sites", Sheet).select_key(str(record.doc_id))
                )

        self._open_form("New USCE site", UsceSite, added, initial={"specialty": self.store.profile().specialty})

    def action_edit_site_cell(self, doc_id: int, field: str, anchor: tuple[int, int] | None = None) -> None:
        site = self.store.get(UsceSite, int(doc_id))
        if site is not None:
            label = UsceSite.spec(field).label
            self._open_form(
                f"{site.name}: {label}", UsceSite, f"Edited {label.lower()}", fields=[field], base=site, anchor=anchor
            )

    def action_next_status(self, doc_id: int) -> None:
        site = self.store.get(UsceSite, int(doc_id))
        if site is None:
            return
        status = next_status(site.status)
        if status is None:
            self.say(
                f"{site.status.replace('_', ' ')} ends the pipeline: set another status on the Status cell (Enter).",
                severity="warning",
            )
            return
        new = site.replace(status=status)
        self._write(f"{site.name}: {new.status.replace('_', ' ')}", lambda: self.store.save(new, "Status change"))

    def _selected_site(self) -> int | None:
        try:
            return self.query_one(UscePane).selected_site_id()
        except NoMatches:
            return None

    def action_log_inquiry_selected(self) -> None:
        site_id = self._selected_site()
        if site_id is None:
            self.say("Select a site in the USCE tracker first.", severity="warning")
            self.action_show_pane("usce")
            return
        self.action_log_inquiry(site_id)

    def action_mark_reply_selected(self) -> None:
        self.action_show_pane("usce")
        self.call_after_refresh(self.query_one(UscePane).action_mark_reply)

    def action_log_inquiry(self, site_id: int) -> None:
        site = self.store.get(UsceSite, int(site_id))
        if site is None:
            return

        def logged(record: Record | None) -> None:
            if record is None:
                return

            def change() -> None:
                with self.store.change(f"Log inquiry to {site.name}"):
                    self.store.save(record)
                    self.store.save(site.replace(status=status_after_inquiry(site.status)))

            self._write(f"Logged inquiry to {site.name}", change)

        self._open_form(
            f"Inquiry e-mail to {site.name}",
            Inquiry,
            logged,
            fields=["sent", "contact", "email", "subject", "notes"],
            fixed={"site_id": site.doc_id},
            initial={
                "sent": self.today().isoformat(),
                "email": site.contact_email or "",
                "subject": f"{site.usce_type.replace('_', ' ').capitalize()} inquiry",
            },
        )

    def action_mark_reply(self, inquiry_id: int) -> None:
        inquiry = self.store.get(Inquiry, int(inquiry_id))
        if inquiry is None:
            return
        if inquiry.replied:
            self.say(f"Already marked replied on {inquiry.replied}.")
            return
        site = self.store.get(UsceSite, inquiry.site_id)

        def change() -> None:
            with self.store.change("Mark reply"):
                self.store.save(inquiry.replace(replied=max(self.today(), inquiry.sent)))
                if site is not None:
                    self.store.save(site.replace(status=status_after_reply(site.status)))

        self._write("Marked replied", change)

    def action_follow_up_sent(self, inquiry_id: int) -> None:
        inquiry = self.store.get(Inquiry, int(inquiry_id))
        if inquiry is None:
            return
        if inquiry.replied:
            self.say("They already replied; no follow-up needed.")
            return
        updated = inquiry.replace(follow_ups=inquiry.follow_ups + 1, last_follow_up=max(self.today(), inquiry.sent))
        limit = self.rules["inquiries"]["not_responding_after_follow_ups"]
        extra = (
            " — no reply after several follow-ups: consider marking the site not responding"
            if updated.follow_ups >= limit
            else ""
        )
        self._write(f"Follow-up #{updated.follow_ups} logged{extra}", lambda: self.store.save(updated, "Follow-up"))

    def action_add_letter(self, site_id: int = 0) -> None:
        site = self.store.get(UsceSite, int(site_id)) if site_id else None
        self._open_form(
            f"Letter of recommendation{' from ' + site.name if site else ''}",
            Letter,
            "Added letter",
            fixed={"site_id": site.doc_id if site else None},
            initial={"specialty": site.specialty if site else self.store.profile().specialty},
        )

    def action_edit_inquiry(self, doc_id: int) -> None:
        if (inquiry := self.store.get(Inquiry, int(doc_id))) is not None:
            self._open_form(f"Inquiry sent {inquiry.sent}", Inquiry, "Edited inquiry", base=inquiry)

    def action_edit_letter(self, doc_id: int) -> None:
        if (letter := self.store.get(Letter, int(doc_id))) is not None:
            self._open_form(f"Letter: {letter.writer}", Letter, "Edited letter", base=letter)

    # -- delete (confirmed, undoable)
    def action_delete_record(self, kind: str, doc_id: int) -> None:
        """Delete after confirmation; ``kind`` is a RECORD_KINDS name ("sites", "exams"...)."""
        cls = RECORD_KINDS[kind]
        record = self.store.get(cls, int(doc_id))
        if record is None:
            return
        what = record.describe()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(f"Deleted {what}", lambda: self.store.delete(cls, int(doc_id), f"Delete {what}"))

        self.push_screen(ConfirmScreen(f"Delete {what}? (ctrl+z undoes it)"), confirmed)


def run_app(path: Path | None, today: date | None = None) -> int:
    import sys

    try:
        store = Store(path)
    except (StoreError, OSError) as exc:
        print(f"imgtui: error: {exc}", file=sys.stderr)
        return 2
    try:
        app = ImgtuiApp(store, today=today)
        app.run(headless=app.exit_after_first_frame is not None)
    finally:
        store.close()
    return 0
