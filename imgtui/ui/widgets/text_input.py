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


class TypeAheadInput(Input):
    """Input that runs its own bindings (ctrl+u, End, Enter...) as the key arrives.

    Textual 8.2 inserts a printable key at once but runs a bound key's action only
    after the key has bubbled up to the app, so "ctrl+u 7" typed quickly (or sent by
    a tool) inserted the 7 first and then deleted it, and a cell editor saved a blank
    (textual#6605; a fix is proposed upstream in textual#6631).
    """

    ACTIONS: ClassVar[dict[str, str]] = _actions_by_key(list(Input.BINDINGS))

    async def on_key(self, event: events.Key) -> None:
        action = None if event.is_printable else self.ACTIONS.get(event.key)
        if action is not None:
            event.prevent_default()
            event.stop()  # not again at the app
            await self.run_action(action)
