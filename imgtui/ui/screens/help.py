"""A screen listing every key binding, pane by pane."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column("key", style="bold")
        table.add_column("action")
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            for key, description in rows:
                table.add_row(Text(key), Text(description))
            table.add_row("", "")
        with Vertical(id="help-box"):
            yield Label(Text("imgtui keys", style="bold"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(table)
            yield Label(Text("Esc: close"), id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
