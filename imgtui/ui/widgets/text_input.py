"""An Input whose own editing keys act in the order they were typed."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _actions_by_key(bindings: list[object]) -> dict[str, str]:
    actions: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                actions[key.strip()] = binding.action
    return actions


def type_character(field: Input, character: str) -> None:
    """Type one character into ``field`` as a key press there would: over the selection, if any."""
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(character)
    else:
        field.replace(character, *selection)


class TypeAheadInput(Input):
    """Input that runs its own bindings (ctrl+u, End, Enter...) and Tab as the key arrives.

    Textual 8.2 inserts a printable key at once but runs a bound key's action only
    after the key has bubbled up to the app, so "ctrl+u 7" typed quickly (or sent by
    a tool) inserted the 7 first and then deleted it, and a cell editor saved a blank
    (textual#6605; a fix is proposed upstream in textual#6631).

    Tab moves the focus at once too. Keys typed right behind it were already handed
    to this field. One that arrives here after the focus left acts, as it arrives, in
    the text box that has the focus now: "NBME 13<Tab><Tab>238<Enter>" fills the
    form's first and third fields and saves. (Passed up to the app instead, the
    second Tab moved the focus only after "238<Enter>" of the terminal's next read
    had gone to the second field: measured in tmux.)
    """

    ACTIONS: ClassVar[dict[str, str]] = _actions_by_key(list(Input.BINDINGS))
    FOCUS_KEYS: ClassVar[dict[str, str]] = {"tab": "focus_next", "shift+tab": "focus_previous"}

    async def on_key(self, event: events.Key) -> None:
        focused = self.screen.focused  # (has_focus changes only when the Blur arrives, after these keys)
        if event.key in self.FOCUS_KEYS:
            event.prevent_default()
            event.stop()
            getattr(self.screen, self.FOCUS_KEYS[event.key])()
            return
        if focused is not self:
            if event.is_printable:
                event.prevent_default()  # not typed here
                if isinstance(focused, Input) and event.character:
                    event.stop()
                    type_character(focused, event.character)
                return  # otherwise it bubbles on to the app's bindings
            action = self.ACTIONS.get(event.key)
            if action is not None and isinstance(focused, Input):
                event.prevent_default()
                event.stop()
                await focused.run_action(action)
            return
        action = None if event.is_printable else self.ACTIONS.get(event.key)
        if action is not None:
            event.prevent_default()
            event.stop()  # not again at the app
            await self.run_action(action)
