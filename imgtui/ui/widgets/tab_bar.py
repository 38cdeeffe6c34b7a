"""The pane tabs: one line of labels, the one in view marked; a click shows a pane.

Each pane's screen has one. Textual's Tabs measured 15 ms more at start-up and two
more lines at 80x24 (an underline and padding) than this line of text with the
same keys (1-5) and clicks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget


class TabBar(Widget, can_focus=True):
    """Labels of the panes; ``active`` is the pane of the screen it is on. Focused, left/right change pane
    (Esc in a Profile field lands here, so that 1-5 switch panes again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous pane", show=False),
        Binding("right", "step(1)", "Next pane", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--active", "tab-bar--key"}
    DEFAULT_CSS = """
    TabBar {
        height: 1;
        width: 1fr;
        & > .tab-bar--active {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: bold;
        }
        & > .tab-bar--key {
            color: $accent;
            text-style: bold;
        }
        &:focus {
            background-tint: $foreground 5%;
        }
    }
    """

    class Chosen(Message):
        """A tab was clicked, or stepped to with left/right (then the bar keeps the focus)."""

        def __init__(self, pane: str, keep_focus: bool = False) -> None:
            super().__init__()
            self.pane = pane
            self.keep_focus = keep_focus

    def __init__(self, tabs: list[tuple[str, str, str]], active: str, **kwargs: Any) -> None:
        """``tabs``: (pane id, key, label) in order, e.g. ("today", "1", "Today")."""
        super().__init__(**kwargs)
        self.tabs = tabs
        self.active = active

    def render(self) -> Text:
        line = Text(no_wrap=True, end="")
        active = self.get_component_rich_style("tab-bar--active")
        key = self.get_component_rich_style("tab-bar--key")
        for pane, shortcut, label in self.tabs:
            if pane == self.active:
                line.append(f" {shortcut} {label} ", style=active)
            else:
                line.append(f" {shortcut}", style=key)
                line.append(f" {label} ")
            line.append(" ")
        return line

    def pane_at(self, x: int) -> str | None:
        start = 0
        for pane, shortcut, label in self.tabs:
            end = start + len(f" {shortcut} {label} ") + 1
            if start <= x < end:
                return pane
            start = end
        return None

    def action_step(self, step: int) -> None:
        panes = [pane for pane, _, _ in self.tabs]
        index = panes.index(self.active) if self.active in panes else 0
        self.post_message(self.Chosen(panes[(index + step) % len(panes)], keep_focus=True))

    def on_click(self, event: events.Click) -> None:
        pane = self.pane_at(event.x)
        if pane is not None:
            self.post_message(self.Chosen(pane))
