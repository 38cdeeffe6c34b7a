"""Outreach work: what to send to which site and when, from the site's pipeline state.

Each task has a due day; Today and ``imgtui remind`` group them as overdue, due
today and waiting. The cadence is imgtui's own (rule outreach_cadence) except the
attending e-mail 3-5 days before a rotation and the letter request at the end of
week 3, which come from the articles [002].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import RETIRED_STATUSES, Inquiry, Letter, Profile, SiteDocument, UsceSite, choice_label
from .advice import counted
from .rules import Rules
from .usce import email_attending_window, expects_reply, follow_up, letter_ask_date

GROUPS = ("overdue", "today", "waiting")


@dataclass(frozen=True)
class Task:
    due: date
    kind: str  # follow_up | chase_reply | not_responding | pre_rotation | letter | thank_you | documents
    text: str
    site_id: int
    inquiry_id: int | None = None
    template: str | None = None  # the draft that does it
    rule: str = "outreach_cadence"
    snoozed: str = ""  # the reason, while a snooze holds it

    def group(self, today: date) -> str:
        if self.due < today:
            return "overdue"
        return "today" if self.due == today else "waiting"

    def when(self, today: date) -> str:
        if self.due < today:
            return f"overdue since {self.due}"
        return "due today" if self.due == today else f"due {self.due}"


def _who(inquiry: Inquiry, site: UsceSite) -> str:
    return f"{inquiry.contact} at {site.name}" if inquiry.contact else site.name


def _snooze(inquiry: Inquiry, due: date) -> str:
    if inquiry.snoozed_until and inquiry.snoozed_until == due:
        return inquiry.snooze_reason or "snoozed"
    return ""


def checklist(site: UsceSite, documents: Sequence[SiteDocument], rules: Rules) -> list[SiteDocument]:
    """The site's checklist: stored items first in the default order, then its own ones;
    a default not yet stored appears as an unsaved item (no doc_id)."""
    mine = [d for d in documents if d.site_id == site.doc_id]
    named = {d.name.lower(): d for d in mine}
    items = [
        named.get(name.lower()) or SiteDocument(site.doc_id or 0, name) for name in rules["site_documents"]["default"]
    ]
    defaults = {name.lower() for name in rules["site_documents"]["default"]}
    return items + [d for d in mine if d.name.lower() not in defaults]


def missing_documents(site: UsceSite, documents: Sequence[SiteDocument], rules: Rules) -> list[str]:
    """The checklist's items still to send (not sent, and not marked as not needed)."""
    return [d.name for d in checklist(site, documents, rules) if d.needed and d.sent is None]


def site_tasks(
    site: UsceSite,
    inquiries: Sequence[Inquiry],
    letters: Sequence[Letter],
    documents: Sequence[SiteDocument],
    profile: Profile,
    today: date,
    rules: Rules,
) -> list[Task]:
    """The outreach tasks of one site (its own inquiries, letters and documents only)."""
    if site.status in RETIRED_STATUSES or site.doc_id is None:
        return []
    cadence = rules["outreach_cadence"]
    sid = site.doc_id
    tasks: list[Task] = []
    sent_templates = {i.template for i in inquiries}
    asking = [i for i in inquiries if expects_reply(i)]
    limit = rules["inquiries"]["not_responding_after_follow_ups"]
    if site.status in ("idea", "contacted"):
        for inquiry in asking:
            if inquiry.replied:
                continue
            # Given up on (no next follow-up): due when the last follow-up's wait ran out.
            waited = (inquiry.last_follow_up or inquiry.sent) + timedelta(days=profile.follow_up_days)
            due = follow_up(inquiry, profile, today, rules).due or max(waited, inquiry.snoozed_until or waited)
            if inquiry.follow_ups >= limit:
                tasks.append(
                    Task(
                        due,
                        "not_responding",
                        f"{site.name}: {counted(inquiry.follow_ups, 'follow-up')} unanswered; retire the site "
                        "(x: no reply) and move on",
                        sid,
                        inquiry.doc_id,
                        rule="inquiries",
                        snoozed=_snooze(inquiry, due),
                    )
                )
                continue
            template = "follow-up-1" if inquiry.follow_ups == 0 else "follow-up-2"
            so_far = (
                "no follow-up yet" if not inquiry.follow_ups else f"{counted(inquiry.follow_ups, 'follow-up')} so far"
            )
            tasks.append(
                Task(
                    due,
                    "follow_up",
                    f"Follow up with {_who(inquiry, site)} (sent {inquiry.sent}, {so_far})",
                    sid,
                    inquiry.doc_id,
                    template,
                    snoozed=_snooze(inquiry, due),
                )
            )
    elif site.status in ("replied", "applied"):
        replied = [i for i in asking if i.replied]
        if replied:
            inquiry = max(replied, key=lambda i: (i.replied or i.sent, i.doc_id or 0))
            last = max(d for d in (inquiry.replied, inquiry.last_follow_up) if d is not None)
            due = last + timedelta(days=cadence["replied_days"])
            if inquiry.snoozed_until and inquiry.snoozed_until > due:
                due = inquiry.snoozed_until
            what = "send what they asked for" if site.status == "replied" else "ask where your application stands"
            tasks.append(
                Task(
                    due,
                    "chase_reply",
                    f"{site.name} replied on {inquiry.replied}: {what}",
                    sid,
                    inquiry.doc_id,
                    "follow-up-1",
                    snoozed=_snooze(inquiry, due),
                )
            )
    if site.status in ("accepted", "booked") and site.start and site.start > today:
        window = email_attending_window(site, rules)
        if window and "pre-rotation" not in sent_templates:
            low, high = rules["email_attending"]["days_before"]
            tasks.append(
                Task(
                    window[1],
                    "pre_rotation",
                    f"{site.name} starts {site.start}: e-mail the attending {low}-{high} days before "
                    f"(from {window[0]})",
                    sid,
                    template="pre-rotation",
                    rule="email_attending",
                )
            )
        missing = missing_documents(site, documents, rules)
        if missing:
            due = site.start - timedelta(days=rules["site_documents"]["due_days_before_start"])
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            tasks.append(
                Task(
                    due,
                    "documents",
                    f"{site.name} starts {site.start}: {counted(len(missing), 'document')} to send ({shown})",
                    sid,
                    rule="site_documents",
                )
            )
    if site.status in ("booked", "in_progress"):
        ask = letter_ask_date(site, rules)
        if ask and not any(letter.site_id == sid for letter in letters) and "letter-request" not in sent_templates:
            tasks.append(
                Task(
                    ask,
                    "letter",
                    f"Ask for a strong letter at {site.name} on {ask} (end of week 3 of a 4-week rotation, scaled)",
                    sid,
                    template="letter-request",
                    rule="letters",
                )
            )
    end = site.end
    if site.status in ("in_progress", "completed") and end and "thank-you" not in sent_templates:
        first, last = cadence["thank_you_within_days"]
        if today <= end + timedelta(days=last):
            tasks.append(
                Task(
                    end + timedelta(days=first),
                    "thank_you",
                    f"Thank the team at {site.name} (rotation ended {end}; within {last} days)",
                    sid,
                    template="thank-you",
                )
            )
    return tasks


def outreach_tasks(
    sites: Sequence[UsceSite],
    inquiries: Sequence[Inquiry],
    letters: Sequence[Letter],
    documents: Sequence[SiteDocument],
    profile: Profile,
    today: date,
    rules: Rules,
) -> list[Task]:
    """Every site's tasks, soonest due first."""
    by_site: dict[int, list[Inquiry]] = {}
    for inquiry in inquiries:
        by_site.setdefault(inquiry.site_id, []).append(inquiry)
    docs_by_site: dict[int, list[SiteDocument]] = {}
    for document in documents:
        docs_by_site.setdefault(document.site_id, []).append(document)
    letters_by_site: dict[int, list[Letter]] = {}
    for letter in letters:
        if letter.site_id:
            letters_by_site.setdefault(letter.site_id, []).append(letter)
    tasks: list[Task] = []
    for site in sites:
        sid = site.doc_id or 0
        tasks += site_tasks(
            site, by_site.get(sid, []), letters_by_site.get(sid, []), docs_by_site.get(sid, []), profile, today, rules
        )
    tasks.sort(key=lambda t: (t.due, t.site_id, t.kind))
    return tasks


def grouped(tasks: Sequence[Task], today: date) -> dict[str, list[Task]]:
    groups: dict[str, list[Task]] = {group: [] for group in GROUPS}
    for task in tasks:
        groups[task.group(today)].append(task)
    return groups


def suggested_template(site: UsceSite, inquiries: Sequence[Inquiry], today: date) -> str:
    """The draft a site's pipeline state calls for."""
    open_ones = [i for i in inquiries if expects_reply(i) and not i.replied]
    if site.status == "idea" and not open_ones:
        return "first-inquiry"
    if site.status in ("idea", "contacted"):
        latest = max(open_ones, key=lambda i: (i.sent, i.doc_id or 0), default=None)
        return "follow-up-2" if latest is not None and latest.follow_ups else "follow-up-1"
    if site.status in ("replied", "applied"):
        return "follow-up-1"
    if site.status in ("accepted", "booked"):
        return "pre-rotation"
    if site.status == "in_progress":
        end = site.end
        return "thank-you" if end and today > end else "letter-request"
    if site.status == "completed":
        return "thank-you"
    return "first-inquiry"


@dataclass(frozen=True)
class Rate:
    what: str
    sent: int
    replied: int

    @property
    def text(self) -> str:
        share = round(100 * self.replied / self.sent) if self.sent else 0
        return f"{self.what} {self.replied}/{self.sent} ({share}%)"


def response_rates(sites: Sequence[UsceSite], inquiries: Sequence[Inquiry]) -> tuple[list[Rate], list[Rate]]:
    """Replies to first e-mails, per template and per site type (most sent first)."""
    kinds = {s.doc_id: choice_label(s.usce_type) for s in sites}
    by_template: dict[str, list[int]] = {}
    by_type: dict[str, list[int]] = {}
    for inquiry in inquiries:
        if not expects_reply(inquiry):
            continue
        replied = 1 if inquiry.replied else 0
        for table, key in (
            (by_template, inquiry.template or "no template"),
            (by_type, kinds.get(inquiry.site_id, "unknown site")),
        ):
            counts = table.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += replied

    def rates(table: dict[str, list[int]]) -> list[Rate]:
        found = [Rate(what, sent, replied) for what, (sent, replied) in table.items()]
        return sorted(found, key=lambda r: (-r.sent, r.what))

    return rates(by_template), rates(by_type)


def rates_line(sites: Sequence[UsceSite], inquiries: Sequence[Inquiry]) -> str | None:
    """One line of replies to first e-mails (None before any was sent)."""
    by_template, by_type = response_rates(sites, inquiries)
    if not by_template:
        return None
    return (
        "Replies to first e-mails: "
        + ", ".join(r.text for r in by_template)
        + " · by type: "
        + ", ".join(r.text for r in by_type)
    )
