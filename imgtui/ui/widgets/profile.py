"""Profile: a form that saves each valid field as it is changed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ...core.overview import Overview
from ...records import Profile, ValidationError
from ..screens.forms import field_widget, widget_value
from .base import PaneMixin
from .severity import SEVERITY_STYLE
from .tab_bar import TabBar

PROFILE_FIELDS = [s.name for s in Profile.FIELDS if s.name != "exam_delays"]


class ProfilePane(PaneMixin, Horizontal):
    BINDINGS = [Binding("escape", "leave_field", "Leave field", id="profile.leave")]

    class Save(Message):
        """Ask the app to save one field; the app answers with ``show_result``."""

        def __init__(self, field: str, value: str) -> None:
            super().__init__()
            self.field = field
            self.value = value

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.saved: dict[str, str] = {}
        self._loading = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="profile-form"), Grid(id="profile-grid"):
            for name in PROFILE_FIELDS:
                spec = Profile.spec(name)
                yield Label(Text(spec.label), classes="profile-label")
                yield field_widget(spec, "")
                yield Static("", id=f"profile-error-{name}", classes="form-error")
        with VerticalScroll(id="profile-side"):
            yield Static("", id="profile-target")

    def focus_default(self) -> None:
        self.query_one(f"#field-{PROFILE_FIELDS[0]}").focus()

    def update_overview(self, ov: Overview) -> None:
        profile = ov.snapshot.profile
        self._loading = True
        try:
            for name in PROFILE_FIELDS:
                widget = self.query_one(f"#field-{name}")
                value = profile.display(name)
                self.saved[name] = value
                if widget.has_focus and isinstance(widget, Input):
                    continue  # don't overwrite what the user is typing
                if isinstance(widget, Select):
                    if widget_value(widget) != value:
                        widget.value = value if value else Select.NULL
                elif isinstance(widget, Input) and widget.value != value:
                    widget.value = value
        finally:
            self.call_after_refresh(self._done_loading)
        self._show_target(ov)

    def _done_loading(self) -> None:
        self._loading = False

    def _show_target(self, ov: Overview) -> None:
        target = ov.target
        text = Text()
        text.append("Step 2 CK target\n", style="bold")
        if target.overridden:
            text.append(f"Your target: {target.score} (override)\n", style="bold")
            text.append(f"Suggested: {target.suggested}\n")
        else:
            text.append(f"Suggested target: {target.score}\n", style="bold")
        text.append(f"Range for your programs: {target.low}-{target.high}\n")
        for reason in target.reasons:
            text.append(f"- {reason.message}", style=SEVERITY_STYLE[reason.severity])
            text.append(f" [{reason.cite}]\n", style="dim")
        text.append(f"\n{ov.band.message}", style="")
        text.append(f" [{ov.band.cite}]\n", style="dim")
        if ov.decision.eras_safe_date:
            text.append(f"\nLatest ERAS-safe exam date: {ov.decision.eras_safe_date} [eras_timing]\n")
        text.append(f"\nExam postponements so far: {ov.snapshot.profile.exam_delays}\n", style="dim")
        text.append("\nChanges save when you leave a field or press Enter.", style="dim")
        self.query_one("#profile-target", Static).update(text)

    def show_result(self, field: str, error: str | None) -> None:
        message = self.query_one(f"#profile-error-{field}", Static)
        message.update(Text(error or ""))
        message.set_class(bool(error), "-shown")
        self.query_one(f"#field-{field}").set_class(bool(error), "invalid")

    def action_leave_field(self) -> None:
        """Esc leaves the field (saving it if valid) so 1-4 switch panes again."""
        focused = self.app.focused
        if isinstance(focused, Input):
            self._maybe_save(self._field_of(focused.id), focused.value)
        self.app.query_one(TabBar).focus()

    def _field_of(self, widget_id: str | None) -> str | None:
        if widget_id and widget_id.startswith("field-"):
            return widget_id[len("field-") :]
        return None

    def _maybe_save(self, field: str | None, value: str) -> None:
        if field is None or self._loading:
            return
        if value.strip() == self.saved.get(field, "").strip():
            self.show_result(field, None)
            return
        error = field_error(field, value)
        if error:
            self.show_result(field, error)
            return
        self.post_message(self.Save(field, value))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = self._field_of(event.input.id)
        if field is None or self._loading:
            return
        self.show_result(field, field_error(field, event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._maybe_save(self._field_of(event.input.id), event.value)

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        self._maybe_save(self._field_of(event.input.id), event.value)

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        # Only a change the user made: mounting and reloading also post Changed.
        if event.select.has_focus_within:
            self._maybe_save(self._field_of(event.select.id), widget_value(event.select))


def field_error(field: str, value: str) -> str | None:
    """The message for a value this field refuses, or None (cross-field checks happen on save)."""
    try:
        Profile.spec(field).parse(value)
    except ValidationError as exc:
        return exc.message
    return None
