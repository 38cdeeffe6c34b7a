"""A site's whole story on one screen, and every outreach task across sites."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.outreach import GROUPS, Task, checklist
from ...core.overview import Overview
from ...core.rules import Rules
from ...core.usce import SiteAssessment
from ...records import COST_FIELDS, UsceSite, choice_label


def site_story(ov: Overview, assessment: SiteAssessment, rules: Rules) -> Text:
    """Every field, the rubric (met, not met, not known), red flags in full, costs,
    documents, e-mails, letters and what is due."""
    site = assessment.site
    text = Text()

    def heading(title: str) -> None:
        text.append(f"\n{title}\n", style="bold")

    text.append(f"{site.name}", style="bold")
    text.append(f"  {site.city or 'no city'} · {choice_label(site.status)}\n")
    skipped = {"name", "city", "notes", "status", "cost", *(name for name, _, _ in COST_FIELDS)}
    for index, spec in enumerate(s for s in UsceSite.FIELDS if s.name not in skipped):
        value = site.display(spec.name)
        shown = choice_label(value) if spec.kind == "enum" and value else value
        text.append(" · " if index else "", style="dim")
        text.append(f"{spec.label}: ", style="dim")
        text.append(shown or "?", style="" if shown else "bold yellow")
    text.append("\n")
    heading(f"Rubric {assessment.rubric}/5 ({assessment.strength}) [site_rubric, 002]")
    for criterion in rules["site_rubric"]["criteria"]:
        if criterion in assessment.criteria_met:
            text.append(f"  met      {criterion}\n", style="green")
        elif criterion in assessment.unknown:
            text.append(f"  unknown  {criterion}: fill it in (e)\n", style="yellow")
        else:
            text.append(f"  not met  {criterion}\n", style="dim")
    if assessment.red_flags:
        heading("Red flags [red_flags, 002]")
        for flag in assessment.red_flags:
            text.append(f"  {flag}\n", style="red")
    heading("Cost")
    costs = [f"fee {'?' if site.cost is None else f'${site.cost:,.0f}'}"]
    costs += [f"{label.lower()} ${getattr(site, name):,.0f}" for name, label, _ in COST_FIELDS if getattr(site, name)]
    per_week = f", ${site.total_cost() / site.weeks:,.0f} a week" if site.weeks and site.total_cost() else ""
    text.append(f"  {', '.join(costs)}: ${site.total_cost():,.0f} in all{per_week}\n")
    if not site.costs_entered():
        text.append("  housing, travel and insurance not entered yet (e)\n", style="yellow")
    if site.insurance is None:
        low, high = rules["rotation_costs"]["insurance_per_month_typical"]
        text.append(f"  health insurance is typically ${low}-{high} a month [rotation_costs]\n", style="dim")
    if site.notes:
        heading("Notes")
        text.append(f"  {site.notes}\n")
    tasks = [t for t in ov.tasks if t.site_id == site.doc_id]
    if tasks:
        heading("To do")
        for task in tasks:
            text.append(f"  {task.when(ov.today)}: {task.text}\n", style="yellow" if task.due <= ov.today else "")
    items = checklist(site, ov.snapshot.documents, rules)
    if site.status in ("accepted", "booked", "in_progress") or any(d.doc_id for d in items):
        heading("Documents (D)")
        for item in items:
            mark = "n/a" if not item.needed else "[x]" if item.sent else "[ ]"
            when = f" sent {item.sent}" if item.sent else f" requested {item.requested}" if item.requested else ""
            text.append(f"  {mark} {item.name}{when}\n", style="dim" if not item.needed else "")
    inquiries = [i for i in ov.snapshot.inquiries if i.site_id == site.doc_id]
    heading(f"E-mails ({len(inquiries)})")
    for inquiry in inquiries:
        reply = f"replied {inquiry.replied}" if inquiry.replied else "no reply yet"
        if inquiry.reply_gist:
            reply += f": {choice_label(inquiry.reply_gist)}"
        who = " ".join(part for part in (inquiry.contact, f"<{inquiry.email}>" if inquiry.email else "") if part)
        text.append(f"  {inquiry.sent} {inquiry.template or 'e-mail'} to {who or 'the site'}: {reply}")
        text.append(f", {inquiry.follow_ups} follow-ups\n" if inquiry.follow_ups else "\n")
    if not inquiries:
        text.append("  none yet: m drafts the first one\n", style="dim")
    letters = [letter for letter in ov.snapshot.letters if letter.site_id == site.doc_id]
    if letters:
        heading("Letters")
        for letter in letters:
            state = (
                "uploaded" if letter.uploaded else "agreed" if letter.agreed else "asked" if letter.asked else "planned"
            )
            text.append(f"  {letter.writer}: {state}\n")
    return text


class SiteDetailScreen(ModalScreen[str | None]):
    """Closes with the key of what to do next (e: edit, m: e-mail, D: documents), or None."""

    BINDINGS = [
        Binding("escape,v,q", "close", "Close", id="detail.close"),
        Binding("e", "choose('edit')", "Edit all fields", id="detail.edit"),
        Binding("m", "choose('draft')", "E-mail", id="detail.draft"),
        Binding("D", "choose('documents')", "Documents", id="detail.documents"),
    ]

    def __init__(self, story: Text) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box"):
            with VerticalScroll(id="detail-scroll"):
                yield Static(self.story, id="detail-text")
            yield Label(
                Text("e edit all fields · m e-mail · D documents · up/down scroll · Esc close"), id="detail-help"
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#detail-scroll"))

    def action_choose(self, what: str) -> None:
        self.dismiss(what)

    def action_close(self) -> None:
        self.dismiss(None)


class OutreachListScreen(ModalScreen[int | None]):
    """Every outreach task across sites, overdue first; Enter goes to the task's site."""

    BINDINGS = [Binding("escape,o", "close", "Close", id="outreach.close")]

    def __init__(self, tasks: Sequence[Task], names: dict[int, str], today_text: str, today: object) -> None:
        super().__init__()
        self.tasks = list(tasks)
        self.names = names
        self.today_text = today_text
        self.today = today

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for group in GROUPS:
            tasks = [t for t in self.tasks if t.group(self.today) == group]  # type: ignore[arg-type]
            if not tasks:
                continue
            title = {"overdue": "Overdue", "today": "Due today", "waiting": "Waiting"}[group]
            options.append(Option(Text(f"{title} ({len(tasks)})", style="bold"), disabled=True))
            for task in tasks:
                style = "red" if group == "overdue" else "yellow" if group == "today" else ""
                snoozed = f" (snoozed: {task.snoozed})" if task.snoozed else ""
                line = Text(f"  {task.due}  {task.text}{snoozed}", style=style)
                options.append(Option(line, id=f"{task.site_id}:{len(options)}"))
        with Vertical(id="detail-box"):
            yield Label(Text(f"Outreach across sites, {self.today_text}", style="bold"), id="outreach-title")
            if options:
                yield OptionList(*options, id="outreach-list")
            else:
                yield Static("Nothing to send or chase: add sites (a) and draft a first e-mail (m).")
            yield Label(Text("Enter: go to the site   Esc: close"), id="detail-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id.split(":")[0]))

    def action_close(self) -> None:
        self.dismiss(None)
