"""Help: what the app's words mean, then every key, pane by pane."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..providers import COMMANDS
from ..widgets.programs import ProgramsPane
from ..widgets.schedule import SchedulePane
from ..widgets.today import TodayPane
from ..widgets.usce import UscePane
from .outreach import DocumentsScreen, DraftScreen

Sections = list[tuple[str, list[tuple[str, str]]]]

# What the app's words mean, with the articles they come from.
GLOSSARY = [
    (
        "GO",
        "Recent practice scores within 10 points of your target (5: strong) [001], timed-mixed blocks at 60% "
        "or more [003] and a full-length simulation done [003]: sit the exam on its date",
    ),
    ("BORDERLINE", "Close, not there: the Schedule pane lists what turns it into GO, each by a date"),
    (
        "DELAY",
        "Practice scores under 220 and far from the target, or timed-mixed blocks under 55% [003]: move the "
        "date; imgtui suggests one that still fits ERAS [001, 003]",
    ),
    (
        "NOT ENOUGH DATA",
        "No exam date, no target yet (choose your specialty in Profile), or fewer than two practice scores "
        "while the exam is still far: take the next checkpoint",
    ),
    (
        "Strength",
        "How programs value a kind of US experience, from US rotations (very strong) to tele-rotations [000, 002]",
    ),
    (
        "Rubric",
        "The five points of a worthwhile site [002]: teaching setting with residents, hands-on, your specialty, "
        "letter potential, documentation; 3 or more is worth it; ? is not known yet and counts as not met",
    ),
    (
        "[rule]",
        "The rule behind a line; on Today, w shows it in full with its sources. Every number is in "
        "data/rules.json with the article it comes from, or marked as imgtui's own",
    ),
]


def key_sections(app: App[Any], app_bindings: list[Any]) -> Sections:
    """Every key, pane by pane, as the app displays keys; and the palette's commands."""

    def rows(bindings: list[Any]) -> list[tuple[str, str]]:
        out = []
        for b in bindings:
            keys = ", ".join(app.get_key_display(Binding(k.strip(), "")) for k in b.key.split(","))
            out.append((keys, b.tooltip or b.description))  # the tooltip: the key bar's label in full
        return out

    return [
        ("What the words mean", GLOSSARY),
        (
            "Keys everywhere",
            [
                *rows(app_bindings),
                (app.get_key_display(Binding("ctrl+p", "")), "Command palette"),
                ("Tab / shift+Tab", "Next / previous widget"),
                ("left / right", "Previous / next pane, on the tab bar"),
            ],
        ),
        ("Today", rows(TodayPane.BINDINGS)),
        (
            "Profile",
            [("up / down", "Move between fields"), ("Enter", "Change the field (saved at once, then on to the next)")],
        ),
        ("Schedule", rows(SchedulePane.BINDINGS)),
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
        ),
        ("E-mail draft (m on a site)", rows(DraftScreen.BINDINGS)),
        ("Documents (D on a site)", rows(DocumentsScreen.BINDINGS)),
        (
            "Program list",
            [
                *rows(ProgramsPane.BINDINGS),
                ("Enter", "Edit the cell; on Verdict or Why: the reasons in full"),
                ("Esc", "Clear the filter"),
            ],
        ),
        (
            "Forms",
            [("ctrl+s", "Save"), ("Enter", "Save (in Notes: a new line; on a list: open it)"), ("Esc", "Cancel")],
        ),
        ("Command palette", [(title, help_text) for title, help_text, _ in COMMANDS]),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, sections: Sections) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        parts: list[Any] = []
        for title, rows in self.sections:
            # A table per section: each sizes its key column to its own keys.
            table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
            table.add_column("key", style="bold", no_wrap=True)
            table.add_column("action")
            for key, description in rows:
                table.add_row(Text(key), Text(description))
            parts += [Text(title, style="bold underline"), table, Text("")]
        with Vertical(id="help-box"):
            yield Label(Text("imgtui help", style="bold"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Group(*parts))
            yield Label(Text("Esc: close · arrows, PgUp / PgDn: scroll"), id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
