"""Today: what the plan asks for today, each line leading to where to act on it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...core.today_item import TodayItem
from .hanging import HangingLine
from .severity import ICONS, SEVERITY_STYLE

if TYPE_CHECKING:
    from ...core.overview import Overview


class TodayPane(Vertical):
    BINDINGS = [
        Binding("enter", "open_item", "Go there", id="today.open", show=True),
        # The morning's two logs, without going to Schedule first.
        Binding("l", "app.log_qbank", "Log questions", id="today.log_qbank"),
        Binding("a", "app.log_exam", "Log exam", id="today.log_exam"),
        Binding("w", "why", "Why (source)", id="today.why"),
    ]

    class Goto(Message):
        def __init__(self, item: TodayItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[TodayItem] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="today-title")
        yield OptionList(id="today-list")
        yield Label(
            Text("Enter: go where you act on the highlighted line   w: why (its source)", style="dim"),
            id="today-help",
        )

    def update_overview(self, ov: Overview) -> None:
        self.show_items(ov.today, ov.items)

    def show_items(self, today: date, items: tuple[TodayItem, ...] | list[TodayItem]) -> None:
        """Today's lines, from a fresh overview or from the first-frame cache."""
        self.query_one("#today-title", Label).update(Text(f"Today, {today:%A %d %B %Y}", style="bold"))
        option_list = self.query_one("#today-list", OptionList)
        highlighted = option_list.highlighted
        self.items = list(items)
        option_list.clear_options()
        for index, item in enumerate(self.items):
            mark = Content.styled(f"{ICONS[item.severity]} ", SEVERITY_STYLE[item.severity] or "dim")
            if item.kind == "reason":  # under the verdict they explain
                mark += "   "
            line = Content.styled(item.text, SEVERITY_STYLE[item.severity] if item.kind == "verdict" else "")
            if item.rule:
                line += Content.styled(f"  [{item.rule}]", "dim")
            option_list.add_option(Option(HangingLine(mark, line), id=f"item-{index}"))
        if self.items:
            option_list.highlighted = min(highlighted or 0, len(self.items) - 1)

    def default_focus(self) -> Widget:
        return self.query_one("#today-list", OptionList)

    @on(OptionList.OptionSelected, "#today-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Goto(self.items[event.option_index]))

    def action_why(self) -> None:
        """The highlighted line's rule in full, with its sources."""
        option_list = self.query_one("#today-list", OptionList)
        if option_list.highlighted is None or not self.items:
            return
        item = self.items[option_list.highlighted]
        self.app.action_explain_rule(item.rule)  # type: ignore[attr-defined]

    def action_open_item(self) -> None:
        option_list = self.query_one("#today-list", OptionList)
        if option_list.highlighted is not None and self.items:
            self.post_message(self.Goto(self.items[option_list.highlighted]))
