"""An Input whose own editing keys act in the order they were typed."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets.input import Selection


def _actions_by_key(bindings: list[object]) -> dict[str, str]:
    actions: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                actions[key.strip()] = binding.action
    return actions


def arrive_ahead_of_focus(field: Input) -> None:
    """Make ``field`` ready for keys typed ahead of its Focus event: what the Focus would do
    first (select a default, to be typed over), and not again when it comes."""
    if isinstance(field, TypeAheadInput) and not field.has_focus:  # its Focus is still queued
        if not field.typed_ahead and field.select_on_focus:
            field.selection = Selection(0, len(field.value))
        field.typed_ahead = True


def type_character(field: Input, character: str) -> None:
    """Type one character into ``field`` as a key press there would: over the selection, if any."""
    arrive_ahead_of_focus(field)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.typed_ahead = False  # keys were typed here before the Focus event arrived

    def _on_paste(self, event: events.Paste) -> None:
        """Several pasted lines go in as one (Input keeps only the first), and the user is told."""
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        event.prevent_default()  # not Input's own handler, which keeps the first line only
        event.stop()
        if not lines:
            return
        text = " ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        if len(lines) > 1:
            self.notify(f"Pasted {len(lines)} lines as one: this field takes one line.", timeout=4)

    def _on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own handler, which selects the whole value: after keys typed
        # ahead of this Focus, that selected them and the next key replaced them.
        if self.typed_ahead:
            self.typed_ahead = False
            keep, self.select_on_focus = self.select_on_focus, False
            self.call_next(setattr, self, "select_on_focus", keep)

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
                arrive_ahead_of_focus(focused)
                await focused.run_action(action)
            return
        action = None if event.is_printable else self.ACTIONS.get(event.key)
        if action is not None:
            event.prevent_default()
            event.stop()  # not again at the app
            await self.run_action(action)
