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


@dataclass(frozen=True)
class SiteWork:
    """What each kind of task reads: one site and its own inquiries, letters and documents."""

    site: UsceSite
    sid: int
    inquiries: Sequence[Inquiry]
    letters: Sequence[Letter]
    documents: Sequence[SiteDocument]
    profile: Profile
    today: date
    rules: Rules

    @property
    def asking(self) -> list[Inquiry]:
        return [i for i in self.inquiries if expects_reply(i)]

    def sent(self, template: str) -> bool:
        return any(i.template == template for i in self.inquiries)


def follow_up_tasks(w: SiteWork) -> list[Task]:
    """An unanswered e-mail: follow up, or after the last follow-up, retire the site."""
    if w.site.status not in ("idea", "contacted"):
        return []
    limit = w.rules["inquiries"]["not_responding_after_follow_ups"]
    tasks = []
    for inquiry in w.asking:
        if inquiry.replied:
            continue
        # Given up on (no next follow-up): due when the last follow-up's wait ran out.
        waited = (inquiry.last_follow_up or inquiry.sent) + timedelta(days=w.profile.follow_up_days)
        due = follow_up(inquiry, w.profile, w.today, w.rules).due or max(waited, inquiry.snoozed_until or waited)
        if inquiry.follow_ups >= limit:
            text = (
                f"{w.site.name}: {counted(inquiry.follow_ups, 'follow-up')} unanswered; retire the site "
                "(x: no reply) and move on"
            )
            tasks.append(
                Task(
                    due, "not_responding", text, w.sid, inquiry.doc_id, rule="inquiries", snoozed=_snooze(inquiry, due)
                )
            )
            continue
        template = "follow-up-1" if inquiry.follow_ups == 0 else "follow-up-2"
        so_far = "no follow-up yet" if not inquiry.follow_ups else f"{counted(inquiry.follow_ups, 'follow-up')} so far"
        text = f"Follow up with {_who(inquiry, w.site)} (sent {inquiry.sent}, {so_far})"
        tasks.append(Task(due, "follow_up", text, w.sid, inquiry.doc_id, template, snoozed=_snooze(inquiry, due)))
    return tasks


def chase_tasks(w: SiteWork) -> list[Task]:
    """A reply that asked for documents or an application: chase it a few days on."""
    replied = [i for i in w.asking if i.replied]
    if w.site.status not in ("replied", "applied") or not replied:
        return []
    inquiry = max(replied, key=lambda i: (i.replied or i.sent, i.doc_id or 0))
    last = max(d for d in (inquiry.replied, inquiry.last_follow_up) if d is not None)
    due = last + timedelta(days=w.rules["outreach_cadence"]["replied_days"])
    if inquiry.snoozed_until and inquiry.snoozed_until > due:
        due = inquiry.snoozed_until
    what = "send what they asked for" if w.site.status == "replied" else "ask where your application stands"
    text = f"{w.site.name} replied on {inquiry.replied}: {what}"
    return [Task(due, "chase_reply", text, w.sid, inquiry.doc_id, "follow-up-1", snoozed=_snooze(inquiry, due))]


def upcoming(w: SiteWork) -> date | None:
    """The start of an accepted or booked rotation still ahead (None: there is none)."""
    if w.site.status in ("accepted", "booked") and w.site.start and w.site.start > w.today:
        return w.site.start
    return None


def pre_rotation_tasks(w: SiteWork) -> list[Task]:
    """The attending e-mail 3-5 days before the start [002]."""
    window = email_attending_window(w.site, w.rules)
    if upcoming(w) is None or window is None or w.sent("pre-rotation"):
        return []
    low, high = w.rules["email_attending"]["days_before"]
    text = f"{w.site.name} starts {w.site.start}: e-mail the attending {low}-{high} days before (from {window[0]})"
    return [Task(window[1], "pre_rotation", text, w.sid, template="pre-rotation", rule="email_attending")]


def document_tasks(w: SiteWork) -> list[Task]:
    """Documents still to send, due some days before the start (imgtui's own number)."""
    start = upcoming(w)
    missing = missing_documents(w.site, w.documents, w.rules)
    if start is None or not missing:
        return []
    due = start - timedelta(days=w.rules["site_documents"]["due_days_before_start"])
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    text = f"{w.site.name} starts {start}: {counted(len(missing), 'document')} to send ({shown})"
    return [Task(due, "documents", text, w.sid, rule="site_documents")]


def letter_tasks(w: SiteWork) -> list[Task]:
    """The letter request at the end of week 3 [002], unless a letter or the request exists."""
    if w.site.status not in ("booked", "in_progress"):
        return []
    ask = letter_ask_date(w.site, w.rules)
    if ask is None or any(letter.site_id == w.sid for letter in w.letters) or w.sent("letter-request"):
        return []
    text = f"Ask for a strong letter at {w.site.name} on {ask} (end of week 3 of a 4-week rotation, scaled)"
    return [Task(ask, "letter", text, w.sid, template="letter-request", rule="letters")]


def thank_you_tasks(w: SiteWork) -> list[Task]:
    """A thank-you within a week of the last day (imgtui's own numbers)."""
    end = w.site.end
    first, last = w.rules["outreach_cadence"]["thank_you_within_days"]
    if w.site.status not in ("in_progress", "completed") or end is None or w.sent("thank-you"):
        return []
    if w.today > end + timedelta(days=last):
        return []
    text = f"Thank the team at {w.site.name} (rotation ended {end}; within {last} days)"
    return [Task(end + timedelta(days=first), "thank_you", text, w.sid, template="thank-you")]


# Each kind of task, in the order a site's tasks are listed.
SITE_TASKS = (follow_up_tasks, chase_tasks, pre_rotation_tasks, document_tasks, letter_tasks, thank_you_tasks)


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
    work = SiteWork(site, site.doc_id, inquiries, letters, documents, profile, today, rules)
    return [task for kind in SITE_TASKS for task in kind(work)]


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
