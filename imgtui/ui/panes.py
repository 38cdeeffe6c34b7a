"""The app's five panes: their order, keys and classes, each pane's screen, and where
Today's lines lead."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from ..core.overview import Overview
from .widgets.key_bar import KeyBar
from .widgets.profile import ProfilePane
from .widgets.programs import ProgramsPane
from .widgets.schedule import SchedulePane
from .widgets.tab_bar import TabBar
from .widgets.today import TodayPane
from .widgets.usce import UscePane

# Where Enter on a Today line puts the focus (the pane's default when absent).
GOTO_FOCUS = {
    "setup": "#profile-fields",
    "choose_target": "#profile-fields",
    "start_profile": "#profile-fields",
    "start_exam": "#exams",
    "start_sites": "#sites",
    "start_programs": "#program-sheet",
    "questions": "#qbank",
    "catchup": "#qbank",
    "checkpoint": "#exams",
    "long_block": "#qbank",
    "follow_up": "#inquiries",
    "chase_reply": "#inquiries",
    "not_responding": "#sites",
    "letter": "#sites",
    "pre_rotation": "#sites",
    "documents": "#sites",
    "thank_you": "#sites",
    "waiting": "#sites",
    "outreach": "#sites",
    "more_usce": "#sites",
}

Pane = TodayPane | ProfilePane | SchedulePane | UscePane | ProgramsPane

PANE_CLASSES: dict[str, type[Pane]] = {
    "today": TodayPane,
    "profile": ProfilePane,
    "schedule": SchedulePane,
    "usce": UscePane,
    "programs": ProgramsPane,
}

# (pane, key, label) of each pane in order: the tab bar, the 1-5 bindings and the pane ids.
TABS = [
    ("today", "1", "Today"),
    ("profile", "2", "Profile"),
    ("schedule", "3", "Schedule"),
    ("usce", "4", "USCE"),
    ("programs", "5", "Programs"),
]
PANES = tuple(pane for pane, _, _ in TABS)


class PaneScreen(Screen[None]):
    """One pane under the app's title and tabs, above its key bar: a screen installed
    on the app under the pane's name (built the first time it is shown, then kept)."""

    def __init__(self, pane: str, latest: Callable[[], Overview | None]) -> None:
        """``latest`` gives the app's latest overview (None while it loads)."""
        super().__init__(id=f"{pane}-screen")
        self.pane = pane
        self.latest = latest
        self.shown: Overview | None = None  # the overview its pane shows

    def compose(self) -> ComposeResult:
        yield Static(f"{self.app.title} — {self.app.sub_title}", id="title-bar", markup=False)
        yield TabBar(TABS, self.pane, id="tab-bar")
        with Vertical(id=self.pane, classes="pane"):
            yield PANE_CLASSES[self.pane](id=f"{self.pane}-pane")
        yield KeyBar()

    def on_mount(self) -> None:
        # Filled before its first frame: one layout and render, not one empty and one full.
        self.show_latest()

    @property
    def pane_widget(self) -> Pane:
        return self.query_one(f"#{self.pane}-pane", PANE_CLASSES[self.pane])

    def focus_pane(self) -> None:
        """Focus the pane's default widget now: keys already typed go there, and not to
        whatever had the focus (focus() would wait its turn behind them)."""
        self.set_focus(self.pane_widget.default_focus())

    def show_latest(self) -> None:
        """Fill the pane from the app's latest overview unless it shows it already."""
        overview = self.latest()
        if overview is not None and overview is not self.shown:
            self.shown = overview
            self.pane_widget.update_overview(overview)
