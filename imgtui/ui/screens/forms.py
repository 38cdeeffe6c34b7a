"""Modal editors built from the records' field specs (one validation path for all input)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, TextArea

from ...records import (
    FORM_SUGGESTIONS,
    FieldSpec,
    Inquiry,
    Letter,
    PracticeExam,
    QbankDay,
    Record,
    UsceSite,
    ValidationErrors,
    choice_label,
    resolve_relative_days,
)
from ..widgets.text_input import TypeAheadInput

YES_NO = [("yes", "yes"), ("no", "no")]
UNKNOWN = "?"  # the value of "not known yet" in a yes/no drop-down (parsed as unknown)


def field_widget(
    spec: FieldSpec, value: str, suggestions: Iterable[str] | None = None
) -> Input | Select[str] | TextArea:
    wid = f"field-{spec.name}"
    if spec.name == "notes":  # notes take several lines (a paste keeps every one)
        return TextArea(value, id=wid, soft_wrap=True, show_line_numbers=False, compact=True)
    if spec.kind == "enum" and spec.open:  # a known choice, offered as you type, or one's own
        labels = [choice_label(c) for c in spec.choices]
        shown = choice_label(value) if value else ""
        return TypeAheadInput(
            value=shown,
            placeholder=spec.help,
            id=wid,
            suggester=SuggestFromList(labels, case_sensitive=False),
            compact=True,
        )
    if spec.kind == "enum":
        options = [(choice_label(c), c) for c in spec.choices]
        return Select(
            options,
            value=value if value in spec.choices else Select.NULL,
            allow_blank=not spec.required and spec.default is None,
            id=wid,
            compact=True,
        )
    if spec.kind == "bool":
        if spec.default is None:  # yes, no, or not known yet (which counts as not met)
            options = [*YES_NO, ("not known yet", UNKNOWN)]
            return Select(
                options, value=value if value in ("yes", "no") else UNKNOWN, allow_blank=False, id=wid, compact=True
            )
        return Select(YES_NO, value=value if value in ("yes", "no") else "no", allow_blank=False, id=wid, compact=True)
    placeholder = spec.accepted() if spec.kind != "text" else spec.help
    suggester = SuggestFromList(list(suggestions), case_sensitive=False) if suggestions else None
    return TypeAheadInput(value=value, placeholder=placeholder, id=wid, suggester=suggester, compact=True)


def widget_value(widget: Input | Select[Any] | TextArea) -> str:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return "" if widget.value is Select.NULL else str(widget.value)
    return widget.value


class RecordForm(ModalScreen[Any]):
    """Add or edit a record; returns the validated record, or None on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        record_cls: type[Record],
        fields: list[str],
        base: Record | None = None,
        fixed: dict[str, Any] | None = None,
        initial: dict[str, str] | None = None,
        suggestions: dict[str, Iterable[str]] | None = None,
        options: dict[str, list[tuple[str, str]]] | None = None,
        check: Callable[[Record], str | None] | None = None,
        anchor: tuple[int, int] | None = None,
        focus: str | None = None,
        today: date | None = None,
    ) -> None:
        """``focus``: the field to start in (the first one by default); ``today``: the day a
        date typed as 'today', 'yesterday' or 'tomorrow' counts from."""
        super().__init__()
        self.today = today
        self.first_focus = focus if focus in fields else fields[0]
        self.cell_anchor = anchor  # screen cell to open at (in-place cell editing)
        self.title_text = title
        self.record_cls = record_cls
        self.fields = fields
        self.base = base
        self.fixed = fixed or {}
        self.initial = initial or {}
        self.suggestions = suggestions or {}
        self.options = options or {}  # a field chosen from a list, e.g. a letter's site: (label, value)
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Label(Text(self.title_text), id="form-title")
            # Not focusable itself: the first field takes the focus when the form opens,
            # so keys typed right behind the key that opened it land there (ImgtuiApp.on_key).
            with VerticalScroll(id="form-fields", can_focus=False):
                for name in self.fields:
                    spec = self.record_cls.spec(name)
                    value = self.initial.get(name)
                    if value is None:
                        value = (
                            self.base.display(name)
                            if self.base is not None
                            else ("" if spec.default is None else _display_default(spec))
                        )
                    yield Label(Text(spec.label + (" *" if spec.required else "")), classes="form-label")
                    if name in self.options:
                        choices = self.options[name]
                        chosen = value if value in {v for _, v in choices} else choices[0][1]
                        yield Select(choices, value=chosen, allow_blank=False, id=f"field-{name}", compact=True)
                    else:
                        yield field_widget(spec, value, self.suggestions.get(name))
                    yield Static("", id=f"error-{name}", classes="form-error")
            if "notes" in self.fields and len(self.fields) == 1:
                help_text = "ctrl+s: save   Enter: new line   Esc: cancel"
            elif len(self.fields) == 1:
                help_text = "Enter: save   Esc: cancel"
            else:
                help_text = "ctrl+s: save   Esc: cancel   Tab: next field"
            yield Label(Text(help_text), id="form-help")

    def on_mount(self) -> None:
        if self.cell_anchor is not None:
            self.add_class("-anchored")
            box = self.query_one("#form-box")
            x, y = self.cell_anchor
            width, height = self.app.size
            box.styles.offset = (max(0, min(x, width - 44)), max(0, min(y - 2, height - 9)))
        # At once (focus() waits its turn behind keys already typed, which would go to
        # the field the screen focused first): keys typed behind the opening key land here.
        self.set_focus(self.query_one(f"#field-{self.first_focus}"))
        if self.fields.index(self.first_focus) < 3:  # the form's title and first label stay in view
            self.call_after_refresh(lambda: self.query_one("#form-fields").scroll_home(animate=False))

    def values(self) -> dict[str, Any]:
        values = {name: widget_value(self.query_one(f"#field-{name}")) for name in self.fields}  # type: ignore[arg-type]
        values.update(self.fixed)
        return values if self.today is None else resolve_relative_days(self.record_cls, values, self.today)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name in self.fields:
            message = errors.get(name, "")
            error = self.query_one(f"#error-{name}", Static)
            error.update(Text(message))
            self.query_one(f"#field-{name}").set_class(bool(message), "invalid")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        # A one-field editor (a cell) saves as soon as a new choice is made.
        event.stop()
        if (
            len(self.fields) == 1
            and event.select.has_focus_within
            and self.base is not None
            and widget_value(event.select) != self.base.display(self.fields[0])
        ):
            self.action_save()

    def action_save(self) -> None:
        try:
            record = self.record_cls.from_input(self.values(), base=self.base)
        except ValidationErrors as exc:
            errors: dict[str, str] = {}
            for error in exc.errors:
                errors.setdefault(error.field if error.field in self.fields else self.fields[0], error.message)
            self.show_errors(errors)
            first = next(name for name in self.fields if name in errors)
            self.query_one(f"#field-{first}").focus()
            return
        if self.check is not None:
            problem = self.check(record)
            if problem:
                self.show_errors({self.fields[0]: problem})
                return
        self.dismiss(record)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _display_default(spec: FieldSpec) -> str:
    if spec.kind == "bool":
        return "" if spec.default is None else "yes" if spec.default else "no"
    if isinstance(spec.default, float):
        return f"{spec.default:g}"
    return str(spec.default)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield Label(Text("y / Enter: yes    n / Esc: no"), id="confirm-help")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConflictScreen(ModalScreen[str]):
    """Another program changed the record being saved: keep mine, take theirs, or edit again."""

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", id="conflict.mine"),
        Binding("t,escape", "choose('theirs')", "Take theirs", id="conflict.theirs"),
        Binding("e,enter", "choose('edit')", "Edit again", id="conflict.edit"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.message), id="confirm-question")
            yield Label(
                Text("m: keep my change (on top of theirs)   t / Esc: take theirs   e / Enter: edit again"),
                id="confirm-help",
            )

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class NoticeScreen(ModalScreen[None]):
    """A message the user must acknowledge (e.g. the database was recovered)."""

    BINDINGS = [Binding("enter,escape,space", "close", "OK", id="notice.ok")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.heading = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="notice-box"):
            yield Label(Text(self.heading, style="bold"), id="notice-title")
            yield Static(Text(self.message), id="notice-message")
            yield Label(Text("Enter: OK"), id="notice-help")

    def action_close(self) -> None:
        self.dismiss(None)


def form_fields(cls: type[Record]) -> list[str]:
    """The fields each record's form shows, in order (all of them where not listed)."""
    listed: dict[type[Record], list[str]] = {
        PracticeExam: ["form", "taken", "score", "scale", "notes"],
        QbankDay: ["day", "done", "correct", "mode"],
        Inquiry: [
            "sent",
            "contact",
            "email",
            "subject",
            "replied",
            "reply_gist",
            "follow_ups",
            "last_follow_up",
            "snoozed_until",
            "snooze_reason",
            "notes",
        ],
        Letter: ["writer", "us_faculty", "specialty", "asked", "agreed", "uploaded", "notes"],
        # A new site asks for the essentials; every other column is edited in the sheet.
        UsceSite: ["name", "city", "specialty", "usce_type", "start", "weeks", "cost"],
    }
    return listed.get(cls) or cls.field_names()


def form_hints(cls: type[Record]) -> dict[str, Any] | None:
    return {"form": FORM_SUGGESTIONS} if cls is PracticeExam else None
