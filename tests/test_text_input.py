"""Editing keys typed in a burst act in order (textual#6605 worked around)."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult

from imgtui.ui.widgets.text_input import TypeAheadInput


class OneField(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield TypeAheadInput("4", id="field")

    def on_input_submitted(self, event: TypeAheadInput.Submitted) -> None:
        self.submitted.append(event.value)


@pytest.mark.parametrize(
    ("keys", "value"),
    [
        (["end", "ctrl+u", "7"], "7"),
        (["ctrl+u", "7"], "7"),
        (["end", "7"], "47"),
        (["home", "ctrl+k", "9", "end", "backspace", "2"], "2"),
    ],
)
async def test_keys_posted_at_once_act_in_order(keys: list[str], value: str) -> None:
    app = OneField()
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in [*keys, "enter"]:  # all queued before the first is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(TypeAheadInput).value == value
        assert app.submitted == [value]


class TwoFields(App[None]):
    def compose(self) -> ComposeResult:
        yield TypeAheadInput("", id="first")
        yield TypeAheadInput("2026-11-22", id="second")  # a default, selected when the field is entered


async def test_keys_typed_ahead_of_the_next_fields_focus_are_kept_when_the_focus_arrives() -> None:
    """'<Tab>lee at coo' queued at one field, 'kcounty' after: the second field's Focus, handled
    after the keys typed ahead into it, selected them, and 'k' replaced them (seen in tmux)."""
    app = TwoFields()
    async with app.run_test() as pilot:
        await pilot.pause()
        first, second = app.query_one("#first", TypeAheadInput), app.query_one("#second", TypeAheadInput)
        assert app.focused is first
        for key in ("tab", "x", "y"):  # one read, delivered to the field that had the focus
            first.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert app.focused is second
        app.post_message(events.Key("z", "z"))  # the next read
        await pilot.pause()
        assert second.value == "xyz"  # the default was replaced, as a key typed there would


class StockField(App[None]):
    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        yield Input("4", id="field")


async def test_the_textual_bug_worked_around_is_still_there() -> None:
    """Textual's own Input still runs 'ctrl+u' after a '7' posted behind it (textual#6605).
    When this fails, upstream has fixed it: TypeAheadInput's reordering can go."""
    from textual.widgets import Input

    app = StockField()
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in ("end", "ctrl+u", "7"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        # The 7 went in first and ctrl+u then cleared it; fixed, the field would read "7".
        assert app.query_one(Input).value == "", "textual#6605 is fixed upstream: remove the workaround"
