"""Keys typed ahead: none is lost or lands in the wrong place while the focus moves.

Mixed into the app (before ``App``). A fast typist, or a paste, queues keys before
the widget they are meant for has the focus.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from .widgets.sheet import Sheet
from .widgets.text_input import type_character

# Keys typed behind Enter on a sheet, or a pane key, wait at most this long for the focus to move.
HOLD_KEYS_SECONDS = 0.5


class TypeAhead(App[Any]):
    PANE_KEYS: frozenset[str] = frozenset()  # keys that show another pane (and move the focus)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: list[events.Key] | None = None  # typed behind a key that moves the focus
        self._held_from: Widget | None = None  # where the focus was when they were held
        self._hold_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        """Keys typed right behind one that moves the focus belong where the focus goes.

        Enter on a sheet opens an editor once its "selected" message reaches the pane,
        and a pane key moves the focus on the next turn of the loop; keys already
        queued behind them (a digit switched panes, "/lake" went to Today) wait here
        until the focus lands on something new, or a moment when nothing opened, and
        then go there, in the order typed.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:  # as typed, not bubbling back
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if self._moves_the_focus(event.key):
                self._hold_keys()
        await super().on_event(event)

    def _moves_the_focus(self, key: str) -> bool:
        if key == "enter":
            return isinstance(self.focused, Sheet)
        # A digit typed into a text box is a digit; on a modal screen it switches nothing.
        return key in self.PANE_KEYS and not self.screen.is_modal and not isinstance(self.focused, Input)

    def _hold_keys(self) -> None:
        self._held_keys = []
        self._held_from = self.focused
        self._hold_timer = self.set_timer(HOLD_KEYS_SECONDS, self.release_keys)

    def on_descendant_focus(self) -> None:
        # What the held keys waited for took the focus (not the late news of an earlier focus).
        if self._held_keys is not None and self.focused is not self._held_from:
            self.call_later(self.release_keys, self._held_keys)

    def release_keys_later(self) -> None:
        """Release the keys held now once the messages already queued are handled
        (after a focus set just before, say)."""
        if self._held_keys is not None:
            self.call_later(self.release_keys, self._held_keys)

    async def release_keys(self, hold: list[events.Key] | None = None) -> None:
        """Send on the held keys (``hold``: only if they are still held) to where the focus is now."""
        if hold is not None and hold is not self._held_keys:
            return  # released already; the keys held now wait for something else
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
        """
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            event.prevent_default()
            event.stop()
            type_character(focused, event.character)
