"""The imgtui application: tabs over the store and the planning core."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Static

from .. import first_frame
from ..core.today_item import TodayItem

# The store, records, planning core, forms and other panes are imported when first
# used (lazy.py): a start drawn from the Today cache (first_frame.py) never waits for them.
from ..lazy import core_rules, forms, help_screen, planning, records, store_module, usce_rules
from ..lazy import profile_pane as profile
from ..lazy import schedule_pane as schedule
from ..lazy import usce_pane as usce
from .providers import COMMANDS, ImgtuiCommands
from .widgets.key_bar import KeyBar
from .widgets.sheet import Sheet
from .widgets.tab_bar import TabBar
from .widgets.text_input import type_character
from .widgets.today import TodayPane

if TYPE_CHECKING:
    from ..core.overview import Overview
    from ..core.rules import Rules
    from ..records import Record
    from ..store import Store
    from .widgets.profile import ProfilePane
    from .widgets.schedule import SchedulePane
    from .widgets.usce import UscePane

# Seconds without a change before the coming days' Today lines are computed and cached.
AHEAD_AFTER_SECONDS = 2.0
# How many days ahead: a start up to a week after the last session draws its lines at once.
DAYS_AHEAD = 7
# Pause between two days' lines (about 40 ms each on years of records): keys typed meanwhile go first.
DAY_AHEAD_PAUSE_SECONDS = 0.05
# Keys typed right behind Enter on a sheet wait at most this long for the editor it
# opens, and those behind a pane's key for the pane, when it is shown the first time.
HOLD_AFTER_ENTER_SECONDS = 0.5  # the editor opens in 45-110 ms on the benchmark database
HOLD_AFTER_PANE_KEY_SECONDS = 1.0
# Set by the start-up benchmark to seconds (0: at once): run headless, quit that long after the first frame.
EXIT_AFTER_FIRST_FRAME = "IMGTUI_EXIT_AFTER_FIRST_FRAME"
# Set by the start-up benchmark to a file: the clock (time.perf_counter, the system's
# monotonic clock) is written there when the first frame with Today's lines is drawn.
FIRST_FRAME_STAMP = "IMGTUI_FIRST_FRAME_STAMP"


def exit_after_first_frame() -> float | None:
    """Seconds from ``IMGTUI_EXIT_AFTER_FIRST_FRAME``, or None when it is not set."""
    value = os.environ.get(EXIT_AFTER_FIRST_FRAME, "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"{EXIT_AFTER_FIRST_FRAME}={value!r}: give seconds to stay after the first frame, e.g. 0")
    return seconds


def form_fields(cls: type[Record]) -> list[str]:
    """The fields each record's form shows, in order."""
    return {
        records.PracticeExam: ["form", "taken", "score", "notes"],
        records.QbankDay: ["day", "done", "correct", "mode"],
        records.Inquiry: ["sent", "contact", "email", "subject", "replied", "follow_ups", "last_follow_up", "notes"],
        records.Letter: ["writer", "us_faculty", "specialty", "asked", "agreed", "uploaded", "notes"],
        # A new site asks for the essentials; every other column is edited in the sheet.
        records.UsceSite: ["name", "city", "specialty", "usce_type", "start", "weeks", "cost"],
    }[cls]


def form_hints(cls: type[Record]) -> dict[str, Any] | None:
    return {"form": records.FORM_SUGGESTIONS} if cls is records.PracticeExam else None


# Where Enter on a Today line puts the focus (the pane's default when absent).
GOTO_FOCUS = {
    "setup": "#profile-fields",
    "questions": "#qbank",
    "catchup": "#qbank",
    "checkpoint": "#exams",
    "long_block": "#qbank",
    "follow_up": "#inquiries",
    "not_responding": "#sites",
    "letter": "#letters",
    "rotation": "#sites",
    "outreach": "#sites",
    "more_usce": "#sites",
}


def pane_class(pane: str) -> type[TodayPane | ProfilePane | SchedulePane | UscePane]:
    classes: dict[str, type[TodayPane | ProfilePane | SchedulePane | UscePane]] = {
        "today": TodayPane,
        "profile": profile.ProfilePane,
        "schedule": schedule.SchedulePane,
        "usce": usce.UscePane,
    }
    return classes[pane]


# (pane, key, label) of each pane in order: the tab bar, the 1-4 bindings and the pane ids.
TABS = [("today", "1", "Today"), ("profile", "2", "Profile"), ("schedule", "3", "Schedule"), ("usce", "4", "USCE")]
PANE_KEYS = {key: pane for pane, key, _ in TABS}
PANES = tuple(pane for pane, _, _ in TABS)


class ImgtuiApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses (tests, benchmarks) find it
    TITLE = "imgtui"
    COMMANDS = App.COMMANDS | {ImgtuiCommands}
    BINDINGS = [
        *(Binding(key, f"show_pane('{pane}')", label, id=f"app.{pane}") for pane, key, label in TABS),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        store: Store | None,
        today: date | Callable[[], date] | None = None,
        rules: Rules | None = None,
        poll_seconds: float = 2.0,
        *,
        db_path: Path | None = None,
        first_items: list[TodayItem] | None = None,
        preparing: first_frame.Preparing | None = None,
    ) -> None:
        """``store`` may be None when ``first_items`` (Today's cached lines) are drawn
        first: the database at ``db_path`` is then opened right after the first frame.
        ``preparing`` is a child process computing those lines: they are read when
        the app mounts (the later the wait, the less of it)."""
        super().__init__()
        self._preparing = preparing
        self._store = store
        self.db_path = store.path if store is not None else db_path
        self._first_items = first_items
        self._today = today
        self._rules = rules
        self.poll_seconds = poll_seconds
        self.overview: Overview | None = None
        self._stale: set[str] = set()  # panes not yet showing the latest overview
        self._first_frame_done = False
        self._mounted_panes: set[str] = {"today"}  # composed with the app; the rest when first shown
        self._when_mounted: dict[str, list[Callable[[], Any]]] = {}
        self._focus_when_mounted: str | None = None
        self._ahead_timer: Timer | None = None
        self._held_keys: list[events.Key] | None = None  # typed behind Enter on a sheet (on_event)
        self._hold_timer: Timer | None = None
        self._seen = store.disk_signature() if store is not None else None
        # The benchmarks time start-up to the first drawn Today screen, then quit
        # (at once, or after the given seconds to measure the memory of a settled app).
        self.exit_after_first_frame = exit_after_first_frame()

    @property
    def store(self) -> Store:
        """The database; opened on first use when the first frame came from the Today cache."""
        if self._store is None:
            assert self.db_path is not None
            self._store = store_module.Store(self.db_path)
        return self._store

    @property
    def rules(self) -> Rules:
        """The planning rules: those given, else data/rules.json (read when first needed,
        once per process; a first frame from the Today cache does not need them)."""
        return self._rules or core_rules.default_rules()

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    def post_display_hook(self) -> None:
        if self._first_frame_done or (self.overview is None and self._first_items is None):
            return
        self._first_frame_done = True  # a first frame with Today's lines is on screen
        if stamp := os.environ.get(FIRST_FRAME_STAMP):
            try:
                Path(stamp).write_text(repr(time.perf_counter()))
            except OSError as exc:
                self.exit(return_code=2, message=f"imgtui: error: {FIRST_FRAME_STAMP}={stamp!r}: {exc.strerror}")
                return
        if not gc.isenabled():  # off until now when started from the command line (cli.cmd_app)
            # Start-up's objects, frozen first: the first collection would otherwise
            # walk all of them (~20 ms). Their few cyclic leftovers are frozen too.
            gc.freeze()
            gc.enable()
        if self.exit_after_first_frame == 0:  # the start-up benchmark: the first frame is drawn
            self.exit()
            return
        if self.exit_after_first_frame:
            self.set_timer(self.exit_after_first_frame, self.exit)
        self.call_later(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if self.overview is None:
            self._load()

    async def on_event(self, event: events.Event) -> None:
        """Keys typed right behind one that opens something belong in what it opens.

        Enter reaches the sheet's queue, which runs the keys queued behind it before
        its "selected" message reaches the pane that opens the editor (50-110 ms on
        the benchmark database); a digit typed in that time switched panes, a "d"
        asked to delete the site. Likewise "4/lake" at the start of a session: the
        USCE pane is mounted by the time "4" is handled, and "/lake" had gone to
        Today. So those keys wait here until the focus lands on something new (the
        editor's field, the pane), or a moment when nothing opened, and then go
        there, in the order typed.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:  # as typed, not bubbling back
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if event.key == "enter" and isinstance(self.focused, Sheet):
                self._hold_keys(HOLD_AFTER_ENTER_SECONDS)
            elif self._mounts_a_pane(event.key):
                self._hold_keys(HOLD_AFTER_PANE_KEY_SECONDS)
        await super().on_event(event)

    def _mounts_a_pane(self, key: str) -> bool:
        """Whether this key shows a pane that is not mounted yet (digits type into a text box)."""
        pane = PANE_KEYS.get(key)
        return (
            pane is not None
            and pane not in self._mounted_panes
            and len(self.screen_stack) == 1
            and not isinstance(self.focused, Input)
        )

    def _hold_keys(self, seconds: float) -> None:
        self._held_keys = []
        self._hold_timer = self.set_timer(seconds, self.release_keys)

    def on_descendant_focus(self) -> None:
        # What the held keys waited for took the focus: an editor's field, a new pane.
        if self._held_keys is not None:
            self.call_later(self.release_keys)

    async def release_keys(self) -> None:
        """Send on the held keys to where the focus is now."""
        held, self._held_keys = self._held_keys, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for key in held or []:
            await self.on_event(key)

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: keys typed right behind one that opens a text box ('/lake' in the
        sheet, 'a' then a site's name) belong in that box.

        They were already queued for the old widget and bubble up here unhandled; a
        focused Input stops its own printable keys, so one arriving here belongs in it.
        (Boxes take the focus at once: the filter by set_focus, a form's first field
        as the form opens.)
        """
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            event.prevent_default()
            event.stop()
            type_character(focused, event.character)

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
        # A title line and a tab bar of our own: Header and TabbedContent cost about
        # 50 ms of start-up (see widgets/tab_bar.py).
        yield Static(f"{self.title} — {self.db_path}", id="title-bar", markup=False)
        yield TabBar(TABS, "today", id="tab-bar")
        with ContentSwitcher(initial="today", id="tabs"):
            with Vertical(id="today", classes="pane"):
                yield TodayPane(id="today-pane")
            # The other panes are mounted when first shown (_mount_pane).
            for pane in PANES[1:]:
                yield Vertical(id=pane, classes="pane")
        yield KeyBar()

    def on_mount(self) -> None:
        today_pane = self.query_one(TodayPane)
        today_pane.focus_default()
        if self._preparing is not None and self._store is None:
            assert self.db_path is not None
            if self._preparing.wait():
                self._first_items = first_frame.read(self.db_path, self.today())
            self._preparing = None
        if self._store is None and self._first_items is not None:
            today_pane.show_items(self.today(), self._first_items)
            return  # the records are read after the first frame (post_display_hook)
        self._load()

    def _load(self) -> bool:
        """Open the database if need be, compute everything, and start watching the file."""
        try:
            self.store  # noqa: B018 - opens it
        except (store_module.StoreError, OSError) as exc:
            self.exit(return_code=2, message=f"imgtui: error: {exc}")
            return False
        self.refresh_data()
        # What was loaded at start lives as long as the app: moved out of the cyclic
        # collector's reach, its full passes (130 ms on a large database) no longer
        # stall a key press. Records are acyclic and still freed when replaced.
        gc.freeze()
        for notice in self.store.notices:
            self.push_screen(forms.NoticeScreen("About your database", notice))
        for problem in self.store.problems:
            self.say(problem, severity="warning", timeout=10)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.poll_disk)
        return True

    def refresh_data(self) -> None:
        try:
            self.overview, self._seen = first_frame.compute_and_keep(self.store, self.today(), self.rules)
        except store_module.StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            return
        # The coming days' lines too, once the user pauses: a start on any of them is then quick.
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(AHEAD_AFTER_SECONDS, self._keep_days_ahead)
        # Only the pane in view is filled now; the others when they are shown (a
        # 2,000-row sheet must not slow down the Today screen or a save elsewhere).
        self._stale = set(PANES)
        self._fill_pane(self.active_pane)

    def _keep_days_ahead(self) -> None:
        """Keep the lines of the coming days, one day per step (see DAYS_AHEAD)."""
        self._ahead_timer = None
        ov, seen = self.overview, self._seen
        if ov is None or seen is None:
            return
        days = {ov.today: ov.items}

        def next_day() -> None:
            self._ahead_timer = None
            if self.overview is not ov or seen != self.store.disk_signature():
                return  # changed since: the refresh that follows schedules it again
            day = ov.today + timedelta(days=len(days))
            days[day] = planning.build_overview(ov.snapshot, day, self.rules, remember=False).items
            first_frame.write(self.store.path, seen, days)  # each step kept: the app may quit at any time
            if len(days) <= DAYS_AHEAD:
                self._ahead_timer = self.set_timer(DAY_AHEAD_PAUSE_SECONDS, next_day)

        next_day()

    def _fill_pane(self, pane: str) -> None:
        # A pane not mounted yet (or still composing) is filled by pane_mounted.
        if pane in self._stale and self.overview is not None and pane in self._mounted_panes:
            self._stale.discard(pane)
            self.query_one(f"#{pane}-pane", pane_class(pane)).update_overview(self.overview)

    def _mount_pane(self, pane: str) -> None:
        """Panes other than Today are mounted the first time they are shown: together
        about 7 MB on the benchmark database (Schedule's and USCE's sheets most), and
        many sessions open one or two of them."""
        if pane not in self._mounted_panes and not self.query(f"#{pane}-pane"):  # not there, nor on its way
            self.query_one(f"#{pane}", Vertical).mount(pane_class(pane)(id=f"{pane}-pane"))

    def when_pane_ready(self, pane: str, callback: Callable[[], Any]) -> None:
        """Run ``callback`` after the next refresh, once ``pane`` is mounted (a key
        pressed in the first moments after start can come before it is)."""
        if pane in self._mounted_panes:
            self.call_after_refresh(callback)
        else:
            self._when_mounted.setdefault(pane, []).append(callback)

    def pane_mounted(self, pane_id: str) -> None:
        """A pane arrived (mounted when first shown): fill it if it is in view, give
        it the focus it was asked for, and run what waited for it."""
        pane = pane_id.removesuffix("-pane")
        self._mounted_panes.add(pane)
        for callback in self._when_mounted.pop(pane, []):
            self.call_after_refresh(callback)
        if self.active_pane == pane:
            self._fill_pane(pane)
            if self._focus_when_mounted == pane:
                self._focus_pane(pane)

    @on(TabBar.Chosen)
    def _tab_chosen(self, event: TabBar.Chosen) -> None:
        self.action_show_pane(event.pane)
        if event.keep_focus:
            self._focus_when_mounted = None
            self.query_one(TabBar).focus()

    def poll_disk(self) -> None:
        """Pick up changes made by another process (e.g. `imgtui log-exam`)."""
        if self.store.changed_elsewhere(self._seen):
            self.refresh_data()
            self.say("Reloaded: the database was changed by another imgtui process.", timeout=3)

    # -- writing (every change goes through the store, then the view is rebuilt)
    def _write(self, label: str, change: Callable[[], Any], shown: Callable[[], None] | None = None) -> bool:
        """Make a change through the store, then rebuild the view.

        With ``shown`` (which puts the change on screen at once, e.g. one sheet row)
        the full rebuild waits until that frame is drawn: the edit shows sooner.
        """
        try:
            change()
        except records.ValidationErrors as exc:
            self.say(
                f"{exc} (nothing saved)",
                severity="error",
                timeout=8,
            )
            return False
        except store_module.StoreError as exc:
            self.say(str(exc), severity="error", timeout=15)
            return False
        except OSError as exc:  # disk full, permissions: the old file is left as it was
            self.say(f"Could not save ({exc.strerror}); nothing was changed.", severity="error", timeout=15)
            return False
        if shown is None:
            self.refresh_data()
        else:
            shown()
            self.call_after_refresh(self.refresh_data)
        self.say(f"{label} (ctrl+z to undo)", timeout=3)
        return True

    def _save_from_form(self, label: str) -> Callable[[Record | None], None]:
        def done(record: Record | None) -> None:
            if record is not None:
                self._write(label, lambda: self.store.save(record, label))

        return done

    # -- navigation
    @property
    def active_pane(self) -> str:
        """The pane in view: today, profile, schedule or usce."""
        return self.query_one("#tabs", ContentSwitcher).current or "today"

    def action_show_pane(self, pane: str) -> None:
        self._mount_pane(pane)
        self._fill_pane(pane)
        switcher = self.query_one("#tabs", ContentSwitcher)
        leaving = switcher.current
        switcher.current = pane
        if leaving is not None and leaving != pane:
            # The pane going out of view keeps the lines its widgets drew (about 1 MB for
            # Today, Profile and Schedule on a large database); refreshed, they let them
            # go, and draw the lines in view again when the pane is shown.
            for widget in switcher.get_child_by_id(leaving).query("*"):
                widget.refresh()
        self.query_one(TabBar).active = pane
        self._focus_pane(pane)

    def _focus_pane(self, pane: str) -> None:
        self._focus_when_mounted = None
        if pane in self._mounted_panes:
            self.query_one(f"#{pane}-pane", pane_class(pane)).focus_default()
        else:  # still being mounted: pane_mounted focuses it
            self._focus_when_mounted = pane

    def on_today_pane_goto(self, message: TodayPane.Goto) -> None:
        """Enter on a Today line: open its pane and focus the widget where the user acts."""
        item = message.item
        self.action_show_pane(item.pane)
        target = GOTO_FOCUS.get(item.kind)

        def arrive() -> None:
            if item.pane == "usce" and item.record_id:
                self.query_one("#sites", Sheet).select_key(str(item.record_id))
            if item.kind == "setup":  # the plan starts from the study start date
                self.query_one(profile.ProfilePane).select_field("study_start")
            if target:
                widget = self.query_one(target)
                widget.focus()
                widget.scroll_visible(animate=False)

        self.when_pane_ready(item.pane, arrive)

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
                    ("left / right", "Previous / next pane, on the tab bar"),
                ],
            )
        )
        sections.append(("Today", rows(TodayPane.BINDINGS)))
        sections.append(
            (
                "Profile",
                [
                    ("up / down", "Move between fields"),
                    ("Enter", "Change the field (saved at once, then on to the next)"),
                ],
            )
        )
        sections.append(("Schedule", rows(schedule.SchedulePane.BINDINGS)))
        sections.append(
            (
                "USCE tracker",
                [
                    *rows(usce.UscePane.BINDINGS),
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
        self.push_screen(help_screen.HelpScreen(sections))

    # -- undo
    def action_undo(self) -> None:
        try:
            label = self.store.undo()
        except store_module.StoreError as exc:
            self.say(str(exc), severity="error")
            return
        if label is None:
            self.say("Nothing to undo since imgtui was opened.", severity="warning")
            return
        self.refresh_data()
        self.say(f"Undone: {label}", timeout=4)

    # -- profile
    def action_change_profile_field(self, field: str) -> None:
        """From the command palette: Profile, on that field, with its editor open."""
        self.action_show_pane("profile")

        def edit() -> None:
            self.query_one(profile.ProfilePane).select_field(field)
            self.action_edit_profile_field(field)  # centred: placed on the row, it came out a few lines off

        self.when_pane_ready("profile", edit)

    def action_edit_profile_field(self, field: str, anchor: tuple[int, int] | None = None) -> None:
        """Edit one profile value in place; a saved value moves the cursor to the next
        field, as Enter does in a spreadsheet (filling the profile in is a row at a time)."""
        current = self.store.profile()
        label = records.Profile.spec(field).label

        def edited(record: Record | None) -> None:
            if not isinstance(record, records.Profile):
                return
            change = f"Changed {label.lower()}"
            # Through update_profile: it counts a later exam date as a postponement.
            if self._write(change, lambda: self.store.update_profile({field: getattr(record, field)}, change)):
                self.query_one(profile.ProfilePane).fields_sheet.action_cursor_down()

        self._open_form(f"Profile: {label}", records.Profile, edited, fields=[field], base=current, anchor=anchor)

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
        more: Callable[[Record], str | None] | None = form_args.pop("check", None)

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
        self._open_form("Log practice exam", records.PracticeExam, "Logged practice exam", initial={"taken": today})

    def action_edit_exam(self, doc_id: int) -> None:
        if (exam := self.store.get(records.PracticeExam, int(doc_id))) is not None:
            self._open_form(f"Edit {exam.form}", records.PracticeExam, "Edited practice exam", base=exam)

    def action_log_qbank(self) -> None:
        today = self.today().isoformat()
        # Today's date is filled in: the block's numbers are what is left to type.
        self._open_form(
            "Log question-bank block", records.QbankDay, "Logged questions", initial={"day": today}, focus="done"
        )

    def action_edit_qbank(self, doc_id: int) -> None:
        if (day := self.store.get(records.QbankDay, int(doc_id))) is not None:
            self._open_form(f"Edit question-bank day {day.day}", records.QbankDay, "Edited questions", base=day)

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
            forms.ConfirmScreen(
                f"Move the exam from {old} to {new}? Phases and planned checkpoints move "
                "with it; logged scores and questions stay."
            ),
            apply,
        )

    # -- USCE
    def _not_a_second_entry(self, record: Record) -> str | None:
        if not isinstance(record, records.UsceSite):
            return None
        return usce_rules.second_entry_problem(record, self.store.sites())

    def action_add_site(self) -> None:
        def added(record: Record | None) -> None:
            if not isinstance(record, records.UsceSite):
                return
            note = usce_rules.also_listed_note(record, self.store.sites())
            if self._write("Added site", lambda: self.store.save(record, "Add site")):
                self.action_show_pane("usce")
                self.when_pane_ready("usce", lambda: self.query_one("#sites", Sheet).select_key(str(record.doc_id)))
                if note:
                    self.say(note, severity="warning", timeout=8)

        self._open_form(
            "New USCE site",
            records.UsceSite,
            added,
            initial={"specialty": self.store.profile().specialty},
            check=self._not_a_second_entry,
        )

    def action_edit_site_cell(self, doc_id: int, field: str, anchor: tuple[int, int] | None = None) -> None:
        site = self.store.get(records.UsceSite, int(doc_id))
        if site is None:
            return
        label = records.UsceSite.spec(field).label

        def edited(record: Record | None) -> None:
            if isinstance(record, records.UsceSite):
                pane = self.query_one(usce.UscePane)
                change = f"Edited {label.lower()}"

                def shown() -> None:  # the edited row at once, assessed as the refresh will
                    profile = self.overview.snapshot.profile if self.overview else self.store.profile()
                    pane.show_site(usce_rules.assess_site(record, profile, self.rules))

                self._write(change, lambda: self.store.save(record, change), shown)

        self._open_form(
            f"{site.name}: {label}",
            records.UsceSite,
            edited,
            fields=[field],
            base=site,
            anchor=anchor,
            check=self._not_a_second_entry,
        )

    def action_next_status(self, doc_id: int) -> None:
        site = self.store.get(records.UsceSite, int(doc_id))
        if site is None:
            return
        status = usce_rules.next_status(site.status)
        if status is None:
            self.say(
                f"{records.choice_label(site.status)} ends the pipeline: "
                "set another status on the Status cell (Enter).",
                severity="warning",
            )
            return
        new = site.replace(status=status)
        self._write(f"{site.name}: {records.choice_label(new.status)}", lambda: self.store.save(new, "Status change"))

    def _selected_site(self) -> int | None:
        try:
            return self.query_one(usce.UscePane).selected_site_id()
        except NoMatches:
            return None

    def action_log_inquiry_selected(self) -> None:
        site_id = self._selected_site() if self.active_pane == "usce" else None
        if site_id is None:  # the site the cursor is on elsewhere may not be the one meant
            self.action_show_pane("usce")
            self.say("Pick the site with the arrows (or / to filter), then press i to log the e-mail.")
            return
        self.action_log_inquiry(site_id)

    def action_mark_reply_selected(self) -> None:
        self.action_show_pane("usce")
        self.when_pane_ready("usce", lambda: self.query_one(usce.UscePane).action_mark_reply())

    def action_log_inquiry(self, site_id: int) -> None:
        site = self.store.get(records.UsceSite, int(site_id))
        if site is None:
            return

        def logged(record: Record | None) -> None:
            if record is None:
                return

            def change() -> None:
                with self.store.change(f"Log inquiry to {site.name}"):
                    self.store.save(record)
                    self.store.save(site.replace(status=usce_rules.status_after_inquiry(site.status)))

            self._write(f"Logged inquiry to {site.name}", change)

        self._open_form(
            f"Inquiry e-mail to {site.name}",
            records.Inquiry,
            logged,
            fields=["sent", "contact", "email", "subject", "notes"],
            fixed={"site_id": site.doc_id},
            initial={
                "sent": self.today().isoformat(),
                "email": site.contact_email or "",
                "subject": f"{records.choice_label(site.usce_type).capitalize()} inquiry",
            },
        )

    def action_mark_reply(self, inquiry_id: int) -> None:
        inquiry = self.store.get(records.Inquiry, int(inquiry_id))
        if inquiry is None:
            return
        if inquiry.replied:
            self.say(f"Already marked replied on {inquiry.replied}.")
            return
        site = self.store.get(records.UsceSite, inquiry.site_id)

        def change() -> None:
            with self.store.change("Mark reply"):
                self.store.save(inquiry.replace(replied=max(self.today(), inquiry.sent)))
                if site is not None:
                    self.store.save(site.replace(status=usce_rules.status_after_reply(site.status)))

        self._write("Marked replied", change)

    def action_follow_up_sent(self, inquiry_id: int) -> None:
        inquiry = self.store.get(records.Inquiry, int(inquiry_id))
        if inquiry is None:
            return
        if inquiry.replied:
            self.say("They already replied; no follow-up needed.")
            return
        updated = inquiry.replace(follow_ups=inquiry.follow_ups + 1, last_follow_up=max(self.today(), inquiry.sent))
        status = usce_rules.follow_up(updated, self.store.profile(), self.today(), self.rules)
        extra = f" — {usce_rules.not_responding_text(updated.follow_ups)} [inquiries]" if status.not_responding else ""
        self._write(f"Follow-up #{updated.follow_ups} logged{extra}", lambda: self.store.save(updated, "Follow-up"))

    def action_add_letter(self, site_id: int = 0) -> None:
        site = self.store.get(records.UsceSite, int(site_id)) if site_id else None
        self._open_form(
            f"Letter of recommendation{' from ' + site.name if site else ''}",
            records.Letter,
            "Added letter",
            fixed={"site_id": site.doc_id if site else None},
            initial={"specialty": site.specialty if site else self.store.profile().specialty},
        )

    def action_edit_inquiry(self, doc_id: int) -> None:
        if (inquiry := self.store.get(records.Inquiry, int(doc_id))) is not None:
            self._open_form(f"Inquiry sent {inquiry.sent}", records.Inquiry, "Edited inquiry", base=inquiry)

    def action_edit_letter(self, doc_id: int) -> None:
        if (letter := self.store.get(records.Letter, int(doc_id))) is not None:
            self._open_form(f"Letter: {letter.writer}", records.Letter, "Edited letter", base=letter)

    # -- delete (confirmed, undoable)
    def action_delete_record(self, kind: str, doc_id: int) -> None:
        """Delete after confirmation; ``kind`` is a RECORD_KINDS name ("sites", "exams"...)."""
        cls = records.RECORD_KINDS[kind]
        record = self.store.get(cls, int(doc_id))
        if record is None:
            return
        what = record.describe()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(f"Deleted {what}", lambda: self.store.delete(cls, int(doc_id), f"Delete {what}"))

        self.push_screen(forms.ConfirmScreen(f"Delete {what}? (ctrl+z undoes it)"), confirmed)


def run_app(db: Path, today: date | None = None, preparing: first_frame.Preparing | None = None) -> int:
    """Run the app on ``db``; ``preparing`` is a child computing Today's lines meanwhile."""
    import sys

    try:
        exit_after_first_frame()
    except ValueError as exc:
        if preparing is not None:
            preparing.wait()  # not left behind
        print(f"imgtui: error: {exc}", file=sys.stderr)
        return 2
    if preparing is not None:  # its lines are read as the app mounts; without them it opens the file
        app = ImgtuiApp(None, today=today, db_path=db, preparing=preparing)
    elif (cached := first_frame.read(db, today or date.today())) is not None:
        # Today's lines for this very file: draw them, open the file next.
        app = ImgtuiApp(None, today=today, db_path=db, first_items=cached)
    else:
        try:
            opened = store_module.Store(db)
        except (store_module.StoreError, OSError) as exc:
            print(f"imgtui: error: {exc}", file=sys.stderr)
            return 2
        app = ImgtuiApp(opened, today=today)
    try:
        app.run(headless=app.exit_after_first_frame is not None)
    finally:
        if app.store_opened:
            app.store.close()
    return app.return_code or 0
