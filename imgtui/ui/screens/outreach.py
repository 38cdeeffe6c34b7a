"""Outreach screens: an e-mail draft to copy, open in the mail program, save or mark sent;
a site's document checklist; a choice from a short list (why a site is retired)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from ...drafts import Draft
from ...records import SiteDocument

# A placeholder the draft could not fill: [[my_name]]
MARK = re.compile(r"\[\[([^\[\]]*)\]\]")
# The greeting the templates open with: who the e-mail goes to, as the user wrote it.
GREETING = re.compile(r"(?:Dear|Hello|Hi) ([^,\n]{1,120}),")


def _filled(text: str, values: dict[str, str]) -> str:
    return MARK.sub(lambda m: values.get(m.group(1), m.group(0)), text)


class DraftScreen(ModalScreen[Draft | None]):
    """An editable draft. imgtui never sends it: ctrl+s records that the user did; the
    screen closes with the draft as edited (None: closed without sending)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="draft.close"),
        Binding("ctrl+s", "sent", "Mark sent", id="draft.sent"),
        Binding("ctrl+t", "copy", "Copy body", id="draft.copy"),
        Binding("ctrl+o", "mail", "Open in mail", id="draft.mail"),
        Binding("ctrl+r", "save_file", "Save as file", id="draft.save"),
        Binding("ctrl+f", "fill", "Fill in", id="draft.fill"),
        Binding("ctrl+n", "next_blank", "Next blank", id="draft.next_blank"),
    ]

    def __init__(
        self,
        title: str,
        draft: Draft,
        templates: list[tuple[str, str]],
        redraft: Callable[[str], Draft],
        save: Callable[[Draft, Path], str],
        default_file: Path,
        fill: Callable[[Draft, Callable[[], None]], None],
    ) -> None:
        super().__init__()
        self.heading = title
        self.draft = draft
        self.templates = templates
        self.redraft = redraft
        self.save = save
        self.default_file = default_file
        self.fill = fill

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-box"):
            yield Label(Text(self.heading), id="draft-title")
            with Horizontal(classes="draft-row"):
                yield Label("Template ", classes="draft-label")
                yield Select(
                    self.templates, value=self.draft.template, allow_blank=False, id="draft-template", compact=True
                )
            with Horizontal(classes="draft-row"):
                yield Label("To       ", classes="draft-label")
                yield Input(self.draft.to, id="draft-to", placeholder="their e-mail address", compact=True)
            with Horizontal(classes="draft-row"):
                yield Label("Subject  ", classes="draft-label")
                yield Input(self.draft.subject, id="draft-subject", compact=True)
            yield TextArea(self.draft.body, id="draft-body", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="draft-status")
            yield Input(str(self.default_file), id="draft-file", placeholder="file to write (.eml or .txt)")
            yield Label(
                Text("^s sent: log it  ^t copy  ^o mail app  ^r save file  ^f fill in  ^n blank"),
                id="draft-help",
            )

    def on_mount(self) -> None:
        self.query_one("#draft-file", Input).display = False
        self._show_missing()
        self.set_focus(self.query_one("#draft-body", TextArea))

    def current(self) -> Draft:
        body = self.query_one("#draft-body", TextArea).text
        contact = self.draft.contact
        greeting = GREETING.match(body.lstrip())
        if greeting and not MARK.search(greeting.group(1)):  # the name typed over the blank
            contact = greeting.group(1).strip()
        return dataclasses.replace(
            self.draft,
            to=self.query_one("#draft-to", Input).value.strip(),
            subject=self.query_one("#draft-subject", Input).value.replace("\n", " "),
            body=body,
            contact=contact,
        )

    def _say(self, text: str, style: str = "") -> None:
        self.query_one("#draft-status", Static).update(Text(text, style=style))

    def _show_missing(self) -> None:
        current = self.current()
        if MARK.search(current.subject + current.body):
            self._say(
                f"To fill in (^f: from the profile and site, ^n: next blank): {self.draft.summary()}", "bold yellow"
            )
        else:
            self._say("Ready: edit freely; imgtui never sends anything itself.", "green")

    def _unfilled(self, draft: Draft) -> bool:
        """True (and says so) while a [[placeholder]] is left in the text."""
        left = sorted({m.group(1) for m in MARK.finditer(draft.subject + "\n" + draft.body)})
        if not left:
            return False
        where = {m.placeholder: m.where for m in self.draft.missing}
        self._say(
            "Still blank: " + "; ".join(f"[[{name}]] ({where.get(name, 'type it in')})" for name in left),
            "bold red",
        )
        return True

    @on(Select.Changed, "#draft-template")
    def _template_chosen(self, event: Select.Changed) -> None:
        if event.value == self.draft.template or not isinstance(event.value, str):
            return
        self.draft = self.redraft(event.value)
        self.query_one("#draft-to", Input).value = self.draft.to
        self.query_one("#draft-subject", Input).value = self.draft.subject
        self.query_one("#draft-body", TextArea).text = self.draft.body
        self._show_missing()

    def action_fill(self) -> None:
        """Fill the missing profile and site fields in their forms, then put the values
        in place of their [[marks]], keeping everything typed in the draft."""
        if not self.draft.fields_to_fill("profile") and not self.draft.fields_to_fill("site"):
            self._say("Nothing to fill in from the profile or the site; type over any [[mark]] left.")
            return

        def filled() -> None:
            new = self.redraft(self.draft.template)
            for box_id in ("#draft-subject", "#draft-to"):
                box = self.query_one(box_id, Input)
                box.value = _filled(box.value, new.values) if box_id != "#draft-to" else (box.value or new.to)
            body = self.query_one("#draft-body", TextArea)
            text = _filled(body.text, new.values)
            if text != body.text:
                body.text = text
            self.draft = new
            self._show_missing()

        self.fill(self.draft, filled)

    def action_next_blank(self) -> None:
        """Select the next [[blank]] in the body (from the cursor, then from the top): typing replaces it."""
        body = self.query_one("#draft-body", TextArea)
        lines = body.text.split("\n")
        row, col = body.cursor_location
        order = [(row, col)] + [(r, 0) for r in range(row + 1, len(lines))] + [(r, 0) for r in range(0, row + 1)]
        for r, c in order:
            match = MARK.search(lines[r], c)
            if match:
                body.selection = Selection((r, match.start()), (r, match.end()))
                self.set_focus(body)
                self._say(f"Type the {match.group(1).replace('_', ' ')} (replaces the blank)", "bold yellow")
                return
        self._show_missing()

    def action_copy(self) -> None:
        draft = self.current()
        if self._unfilled(draft):
            return
        self.app.copy_to_clipboard(draft.body)
        self._say(f"Copied the body. Subject: {draft.subject}", "green")

    def action_mail(self) -> None:
        draft = self.current()
        if self._unfilled(draft):
            return
        self.app.open_url(draft.mailto())
        self._say("Opened in your mail program. Once sent, press ctrl+s to log it.", "green")

    def action_save_file(self) -> None:
        draft = self.current()
        if self._unfilled(draft):
            return
        box = self.query_one("#draft-file", Input)
        box.display = True
        self.set_focus(box)
        self._say("Enter writes the file (.eml opens as a draft in mail programs); Esc goes back.")

    @on(Input.Submitted, "#draft-file")
    def _file_chosen(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._say("Give a file name, e.g. ~/drafts/mercy.eml", "bold red")
            return
        self._say(self.save(self.current(), Path(text).expanduser()))
        event.input.display = False
        self.set_focus(self.query_one("#draft-body", TextArea))

    def action_sent(self) -> None:
        draft = self.current()
        if self._unfilled(draft):
            return
        self.dismiss(draft)

    def action_close(self) -> None:
        box = self.query_one("#draft-file", Input)
        if box.display:
            box.display = False
            self.set_focus(self.query_one("#draft-body", TextArea))
            self._show_missing()
            return
        self.dismiss(None)


class DocumentsScreen(ModalScreen[None]):
    """A site's document checklist; each key changes the highlighted item at once."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="docs.close"),
        Binding("space", "mark('sent')", "Sent", id="docs.sent"),
        Binding("r", "mark('requested')", "Requested", id="docs.requested"),
        Binding("n", "mark('needed')", "Needed?", id="docs.needed"),
        Binding("a", "add", "Add item", id="docs.add"),
    ]

    def __init__(
        self,
        title: str,
        load: Callable[[], list[SiteDocument]],
        mark: Callable[[SiteDocument, str], str],
        add: Callable[[str], str],
    ) -> None:
        super().__init__()
        self.heading = title
        self.load = load
        self.mark = mark
        self.adder = add
        self.items: list[SiteDocument] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="docs-box"):
            yield Label(Text(self.heading), id="docs-title")
            yield DataTable(id="docs-table", cursor_type="row", zebra_stripes=True)
            yield Input(placeholder="a document of your own, e.g. Drug screen; Enter adds it", id="docs-new")
            yield Static("", id="docs-status")
            yield Label(
                Text("Space: sent today / not   r: requested   n: not needed here   a: add   Esc: close"),
                id="docs-help",
            )

    def on_mount(self) -> None:
        table = self.query_one("#docs-table", DataTable)
        table.add_columns("", "Document", "Requested", "Sent")
        self.query_one("#docs-new", Input).display = False
        self.reload()
        self.set_focus(table)

    def reload(self, keep: int | None = None) -> None:
        table = self.query_one("#docs-table", DataTable)
        row = table.cursor_row if keep is None else keep
        self.items = self.load()
        table.clear()
        for item in self.items:
            mark = "n/a" if not item.needed else ("[x]" if item.sent else "[ ]")
            style = "dim" if not item.needed else ("green" if item.sent else "bold")
            table.add_row(
                Text(mark, style=style),
                Text(item.name, style=style),
                item.display("requested"),
                item.display("sent"),
            )
        missing = sum(1 for item in self.items if item.needed and not item.sent)
        title = self.heading + (f": {missing} to send" if missing else ": everything sent")
        self.query_one("#docs-title", Label).update(Text(title))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def action_mark(self, field: str) -> None:
        table = self.query_one("#docs-table", DataTable)
        if not self.items or not table.has_focus:
            return
        item = self.items[table.cursor_row]
        self.query_one("#docs-status", Static).update(Text(self.mark(item, field)))
        self.reload()

    def action_add(self) -> None:
        box = self.query_one("#docs-new", Input)
        box.display = True
        self.set_focus(box)

    @on(Input.Submitted, "#docs-new")
    def _added(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.query_one("#docs-status", Static).update(Text(self.adder(event.value)))
            event.input.value = ""
        event.input.display = False
        self.reload(keep=len(self.items))
        self.set_focus(self.query_one("#docs-table", DataTable))

    def action_close(self) -> None:
        box = self.query_one("#docs-new", Input)
        if box.display:
            box.display = False
            self.set_focus(self.query_one("#docs-table", DataTable))
            return
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of a few labelled values (Enter), or Esc for none."""

    BINDINGS = [Binding("escape", "close", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield OptionList(*(Option(label, id=value) for label, value in self.choices), id="choice-list")
            yield Label(Text("Enter: choose   Esc: cancel"), id="confirm-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
