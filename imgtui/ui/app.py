"""The imgtui application: panes over the planner service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from ..core.overview import Overview
from ..core.rules import Rules
from ..planner import Planner, Saved
from ..records import (
    RECORD_KINDS,
    PracticeExam,
    Profile,
    QbankDay,
    Record,
    ValidationErrors,
)
from ..store import Conflict, Store, StoreError
from .outreach import OutreachActions
from .panes import GOTO_FOCUS, PANES, TABS, PaneScreen
from .program_actions import ProgramActions
from .providers import ImgtuiCommands
from .screens import forms
from .screens.forms import form_fields, form_hints
from .screens.help import HelpScreen, key_sections
from .type_ahead import TypeAhead
from .usce_actions import UsceActions
from .widgets.profile import ProfilePane
from .widgets.sheet import Sheet
from .widgets.tab_bar import TabBar
from .widgets.today import TodayPane


class ImgtuiApp(OutreachActions, ProgramActions, UsceActions, TypeAhead, App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses (tests, benchmarks) find it
    TITLE = "imgtui"
    COMMANDS = App.COMMANDS | {ImgtuiCommands}
    BINDINGS = [
        *(Binding(key, f"show_pane('{pane}')", label, id=f"app.{pane}") for pane, key, label in TABS),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="app.redo", show=False),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    PANE_KEYS = frozenset(key for _, key, _ in TABS)

    class Loaded(Message):
        """The overview computed by the loading worker (None: it failed, ``error`` says why)."""

        def __init__(self, overview: Overview | None, error: str = "") -> None:
            super().__init__()
            self.overview = overview
            self.error = error

    def __init__(
        self,
        planner: Store | Planner,
        today: date | Callable[[], date] | None = None,
        rules: Rules | None = None,
        poll_seconds: float = 2.0,
        title_note: str = "",
    ) -> None:
        super().__init__()
        self.planner = planner if isinstance(planner, Planner) else Planner(planner, rules, today)
        self.poll_seconds = poll_seconds
        self.overview: Overview | None = None
        view_only = " (read-only: changes are not saved)" if self.store.read_only else ""
        self.sub_title = f"{title_note or self.store.path}{view_only}"  # under the title of every pane
        self._seen = self.store.disk_signature()
        self._loading = threading.Lock()  # the store is read by the loading worker and written here
        # Each pane is an installed screen: composed the first time it is shown, then kept.
        # (Not modes: Textual re-parses every stylesheet on a mode's first visit, 40 ms here.)
        for pane in PANES:
            self.install_screen(PaneScreen(pane, lambda: self.overview), pane)

    @property
    def store(self) -> Store:
        return self.planner.store

    @property
    def rules(self) -> Rules:
        return self.planner.rules

    def say(self, message: str, **kwargs: Any) -> None:
        """notify() without markup: messages often carry user text like 'St. Mary [Main]'."""
        self.notify(message, markup=False, **kwargs)

    def today(self) -> date:
        return self.planner.today()

    # -- loading
    async def on_mount(self) -> None:
        await self.push_screen("today")  # over Textual's blank default screen, which is never shown
        self.pane_screen.focus_pane()
        for notice in self.store.notices:
            self.push_screen(forms.NoticeScreen("About your database", notice))
        self.call_after_refresh(self.load)  # after the first frame: the reading thread would slow it

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read the records and plan, off the UI thread: the frame is drawn meanwhile."""
        with self._loading:
            try:
                self.post_message(self.Loaded(self.planner.overview()))
            except StoreError as exc:
                self.post_message(self.Loaded(None, str(exc)))

    def on_imgtui_app_loaded(self, message: Loaded) -> None:
        if message.overview is None:
            self.say(message.error, severity="error", timeout=15)
            return
        self._show(message.overview)
        for problem in self.store.problems:
            self.say(problem, severity="warning", timeout=10)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.poll_disk)

    def refresh_data(self) -> None:
        """Plan again from the file as it is now and show it."""
        try:
            with self._loading:
                overview = self.planner.overview()
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            return
        self._show(overview)

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        self._seen = self.store.disk_signature()
        # Only the pane in view is filled now; the others when they are shown (a
        # 2,000-row sheet must not slow down the Today screen or a save elsewhere).
        self.pane_screen.show_latest()

    @on(TabBar.Chosen)
    async def _tab_chosen(self, event: TabBar.Chosen) -> None:
        await self.action_show_pane(event.pane)
        if event.keep_focus:
            self.pane_screen.query_one(TabBar).focus()

    def poll_disk(self) -> None:
        """Pick up changes made by another process (e.g. `imgtui log-exam`)."""
        if self.store.changed_elsewhere(self._seen):
            self.refresh_data()
            self.say("Reloaded: the database was changed by another program.", timeout=3)

    # -- writing (every change goes through the planner, then the view is rebuilt)
    def _write(
        self,
        label: str,
        change: Callable[[], Any],
        shown: Callable[[], None] | None = None,
        on_conflict: Callable[[str], None] | None = None,
    ) -> bool:
        """Make a change through the planner, then rebuild the view.

        With ``shown`` (which puts the change on screen at once, e.g. one sheet row)
        the full rebuild waits until that frame is drawn: the edit shows sooner.
        ``on_conflict`` is asked what to do when another program changed the record.
        """
        try:
            with self._loading:
                change()
        except Conflict as exc:
            self.refresh_data()  # show what the other program wrote
            if on_conflict is None:
                self.say(str(exc), severity="error", timeout=15)
            else:
                on_conflict(str(exc))
            return False
        except ValidationErrors as exc:
            self.say(f"{exc} (nothing saved)", severity="error", timeout=8)
            return False
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            if self.store.changed_elsewhere(self._seen):
                self.refresh_data()  # show what the other program wrote
            return False
        if shown is None:
            self.refresh_data()
        else:
            shown()
            self.call_after_refresh(self.refresh_data)
        self.say(f"{label} (ctrl+z to undo)", timeout=3)
        return True

    def _save_edit(
        self,
        record: Record,
        base: Record | None,
        label: str,
        reopen: Callable[[Record], None],
        shown: Callable[[], None] | None = None,
    ) -> bool:
        """Save a record edited in a form; when another program changed it since the form
        opened, nothing is overwritten: the user keeps theirs on top, takes the other, or edits again."""

        def resolve(message: str) -> None:
            stored = self.store.get(type(record), record.doc_id) if record.doc_id else None
            if stored is None or base is None:
                self.say(message, severity="error", timeout=15)
                return
            edited = {f: getattr(record, f) for f in record.field_names() if getattr(record, f) != getattr(base, f)}
            mine = stored.replace(**edited)

            def chosen(choice: str | None) -> None:
                if choice == "mine":
                    self._write(label, lambda: self.planner.save_record(mine, label, expected=stored), None, resolve)
                elif choice == "edit":
                    reopen(stored)
                else:
                    self.say("Kept the other program's version; your edit was not saved.", timeout=6)

            self.push_screen(forms.ConflictScreen(message), chosen)

        return self._write(label, lambda: self.planner.save_record(record, label, expected=base), shown, resolve)

    # -- navigation
    @property
    def active_pane(self) -> str:
        """The pane in view: today, profile, schedule, usce or programs."""
        return self.pane_screen.pane

    @property
    def pane_screen(self) -> PaneScreen:
        """The screen of the pane in view (under any dialog open on it)."""
        return next(screen for screen in self.screen_stack if isinstance(screen, PaneScreen))

    async def action_show_pane(self, pane: str) -> None:
        if isinstance(self.screen, PaneScreen):  # not under a dialog
            await self.switch_screen(pane)  # built and mounted on its first visit
        self.pane_screen.show_latest()  # shown before, it may show an older overview
        self.pane_screen.focus_pane()
        # Keys typed behind the pane key go there now, behind the focus just set
        # (a screen shown again may keep its focus, and then no focus event says so).
        self.release_keys_later()

    def go_to(self, pane: str, arrive: Callable[[], None] | None = None) -> None:
        """Show ``pane``, then (its widgets filled and laid out) ``arrive`` on it."""

        async def go() -> None:
            await self.action_show_pane(pane)
            if arrive is not None:
                self.call_after_refresh(arrive)

        self.call_later(go)

    def on_today_pane_goto(self, message: TodayPane.Goto) -> None:
        """Enter on a Today line: open its pane and focus the widget where the user acts."""
        item = message.item
        target = GOTO_FOCUS.get(item.kind)

        def arrive() -> None:
            if item.pane == "usce" and item.record_id:
                self.pane_screen.query_one("#sites", Sheet).select_key(str(item.record_id))
            if item.kind == "setup":  # the plan starts from the study start date
                self.pane_screen.query_one(ProfilePane).select_field("study_start")
            if item.kind == "choose_target":
                missing = "specialty" if self.store.profile().specialty is None else "program_tier"
                self.pane_screen.query_one(ProfilePane).select_field(missing)
            if target:
                widget = self.pane_screen.query_one(target)
                widget.focus()
                widget.scroll_visible(animate=False)

        self.go_to(item.pane, arrive)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(key_sections(self, self.BINDINGS)))

    # -- undo
    def action_undo(self) -> None:
        self._step(self.planner.undo, "Undone", "Nothing to undo since imgtui was opened.")

    def action_redo(self) -> None:
        self._step(self.planner.redo, "Redone", "Nothing to redo.")

    def _step(self, step: Callable[[], str | None], done: str, nothing: str) -> None:
        try:
            with self._loading:
                label = step()
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=10)
            self.refresh_data()
            return
        if label is None:
            self.say(nothing, severity="warning")
            return
        self.refresh_data()
        self.clear_notifications()  # quick undos in a row: one message, not a pile
        self.say(f"{done}: {label}", timeout=4)

    # -- profile
    def action_change_profile_field(self, field: str) -> None:
        """From the command palette: Profile, on that field, with its editor open."""

        def edit() -> None:
            self.pane_screen.query_one(ProfilePane).select_field(field)
            self.action_edit_profile_field(field)  # centred: placed on the row, it came out a few lines off

        self.go_to("profile", edit)

    def action_edit_profile_field(self, field: str, anchor: tuple[int, int] | None = None) -> None:
        """Edit one profile value in place; a saved value moves the cursor to the next
        field, as Enter does in a spreadsheet (filling the profile in is a row at a time)."""
        current = self.store.profile()
        label = Profile.spec(field).label

        def edited(record: Record | None) -> None:
            if not isinstance(record, Profile):
                return
            change = f"Changed {label.lower()}"
            # Through update_profile: it counts a later exam date as a postponement.
            if self._write(change, lambda: self.planner.update_profile({field: getattr(record, field)}, change)):
                self.pane_screen.query_one(ProfilePane).fields_sheet.action_cursor_down()

        self._open_form(f"Profile: {label}", Profile, edited, fields=[field], base=current, anchor=anchor)

    # -- forms (one field list per kind; logged events may not be in the future)
    def _not_future(self, record: Record) -> str | None:
        problem = record.future_problem(self.planner.latest_event_day())
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
        more: Callable[[Record], str | None] | None = form_args.pop("check", None)
        callback: Callable[[Record | None], None]
        if isinstance(done, str):
            label, base = done, form_args.get("base")

            def reopen(stored: Record) -> None:
                self._open_form(title, cls, label, fields=fields, **{**form_args, "base": stored, "check": more})

            def callback(record: Record | None) -> None:
                if record is not None:
                    self._save_edit(record, base, label, reopen)

        else:
            callback = done

        def check(record: Record) -> str | None:
            return self._not_future(record) or (more(record) if more else None)

        form = forms.RecordForm(
            title,
            cls,
            fields or form_fields(cls),
            suggestions=form_hints(cls),
            check=check,
            today=self.today(),
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
        # Today's date is filled in: the block's numbers are what is left to type.
        self._open_form("Log question-bank block", QbankDay, "Logged questions", initial={"day": today}, focus="done")

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
                    lambda: self.planner.update_profile({"exam_date": new.isoformat()}, f"Re-plan to {new}"),
                )

        self.push_screen(
            forms.ConfirmScreen(
                f"Move the exam from {old} to {new}? Phases and planned checkpoints move "
                "with it; logged scores and questions stay."
            ),
            apply,
        )

    # -- running a use case
    def _do(self, use_case: Callable[[], Saved]) -> Saved | None:
        """Run a planner use case and show what it did (its ``Saved`` message), or why not."""
        try:
            with self._loading:
                done = use_case()
        except ValidationErrors as exc:
            self.say(f"{'; '.join(e.message for e in exc.errors)} (nothing saved)", severity="warning", timeout=8)
            return None
        except StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            self.refresh_data()
            return None
        self.refresh_data()
        self.clear_notifications()  # quick changes in a row: the latest says what happened, not a pile
        self.say(f"{done.message} (ctrl+z to undo)" if done.changed else done.message, timeout=4)
        if done.warning:
            self.say(done.warning, severity="warning", timeout=8)
        return done

    def show_added(self, done: Saved | None, pane: str, sheet: str) -> None:
        """After an add: its pane, with the cursor on the new row."""
        if done is None:
            return
        key = str(done.record.doc_id)
        self.go_to(pane, lambda: self.pane_screen.query_one(sheet, Sheet).select_key(key))

    # -- delete (confirmed, undoable)
    def action_delete_record(self, kind: str, doc_id: int) -> None:
        """Delete after confirmation; ``kind`` is a RECORD_KINDS name ("sites", "exams"...)."""
        record = self.store.get(RECORD_KINDS[kind], int(doc_id))
        if record is None:
            return
        what = record.describe()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(f"Deleted {what}", lambda: self.planner.delete(kind, int(doc_id)))

        self.push_screen(forms.ConfirmScreen(f"Delete {what}? (ctrl+z undoes it)"), confirmed)
