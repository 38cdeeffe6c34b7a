"""RFC 5545 calendar export: phases, checkpoints, exam, ERAS-safe date, rotations and e-mail days.

Every event's UID is derived from what it is (not when it falls), so a calendar
that imports the file again updates the events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .core.overview import Overview
from .core.rules import Rules
from .core.usce import email_attending_window, letter_ask_date
from .paths import write_private
from .records import choice_label, clean_text

PRODID = "PRODID:-//imgtui//Step 2 CK and USCE planner//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    start: date
    end: date  # inclusive
    summary: str
    description: str = ""


def _escape(text: str) -> str:
    """iCalendar TEXT: escaped, every line break (a bare CR too) as \\n, no control characters."""
    text = clean_text(text, lines=True)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " " + char, 1 + width, 75
        else:
            current += char
            size += width
    out.append(current)
    return "\r\n".join(out)


Uid = Callable[..., str]


def calendar_events(ov: Overview, rules: Rules, calendar_id: str) -> list[Event]:
    """Every event of the calendar: stable UIDs, so a re-import updates rather than duplicates."""

    def uid(*parts: object) -> str:
        digest = hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]
        return f"{parts[0]}-{digest}-{calendar_id}@imgtui"

    return [event for kind in EVENT_KINDS for event in kind(ov, rules, uid)]


def studying(ov: Overview) -> bool:
    """A passed Step 2 CK is final: its plan, checkpoints and exam dates are no longer ahead."""
    return not ov.snapshot.profile.step2_passed


def plan_events(ov: Overview, rules: Rules, uid: Uid) -> list[Event]:
    if ov.plan is None or not studying(ov):
        return []
    events = [
        Event(
            uid("phase", phase.name),
            phase.start,
            phase.end,
            f"Step 2 CK: {phase.label} phase",
            "imgtui study plan (rule phases [001])",
        )
        for phase in ov.plan.phases
    ]
    seen: dict[str, int] = {}
    for status in ov.checkpoints:
        point = status.checkpoint
        seen[point.kind] = seen.get(point.kind, 0) + 1
        logged = f" - logged {status.logged_text()}" if status.logged else ""
        events.append(
            Event(
                uid("checkpoint", point.kind, seen[point.kind]),
                point.day,
                point.day,
                f"Checkpoint: {point.form}{logged}",
                f"{point.phase} phase self-assessment",
            )
        )
    return events


def exam_events(ov: Overview, rules: Rules, uid: Uid) -> list[Event]:
    if not studying(ov):
        return []
    events = []
    exam = ov.snapshot.profile.exam_date
    if exam is not None:
        events.append(Event(uid("exam"), exam, exam, "USMLE Step 2 CK exam", f"Decision today: {ov.decision.label}"))
    safe = ov.decision.eras_safe_date
    if safe is not None:
        events.append(
            Event(
                uid("eras-safe"),
                safe,
                safe,
                "Latest ERAS-safe Step 2 CK date",
                f"ERAS opening minus {rules['eras_timing']['score_release_weeks']} weeks of score release "
                "(rule eras_timing [001, 003])",
            )
        )
    return events


def rotation_events(ov: Overview, rules: Rules, uid: Uid) -> list[Event]:
    """Each rotation accepted or later, its attending e-mail and its letter request [002]."""
    events = []
    for assessment in ov.sites:
        site = assessment.site
        if site.status not in ("accepted", "booked", "in_progress", "completed") or site.start is None:
            continue
        events.append(
            Event(
                uid("rotation", site.doc_id),
                site.start,
                site.end or site.start,
                f"Rotation: {site.name}",
                f"{site.city} - {choice_label(site.usce_type)}, {site.weeks or '?'} weeks",
            )
        )
        window = email_attending_window(site, rules)
        low, high = rules["email_attending"]["days_before"]
        if window:
            events.append(
                Event(
                    uid("email-attending", site.doc_id),
                    window[0],
                    window[1],
                    f"E-mail the attending: {site.name}",
                    f"{low}-{high} days before the rotation starts [002]",
                )
            )
        ask = letter_ask_date(site, rules)
        if ask:
            events.append(
                Event(
                    uid("letter-ask", site.doc_id),
                    ask,
                    ask,
                    f"Ask for a strong letter: {site.name}",
                    "end of week 3 of a 4-week rotation, scaled [002]",
                )
            )
    return events


def task_events(ov: Overview, rules: Rules, uid: Uid) -> list[Event]:
    """The outreach tasks a calendar is for: documents to send and the thank-you."""
    return [
        Event(
            uid(task.kind.replace("_", "-"), task.site_id),
            task.due,
            task.due,
            task.text,
            f"imgtui outreach (rule {task.rule})",
        )
        for task in ov.tasks
        if task.kind in ("documents", "thank_you")
    ]


def follow_up_events(ov: Overview, rules: Rules, uid: Uid) -> list[Event]:
    names = {a.site.doc_id: a.site.name for a in ov.sites}
    return [
        Event(
            uid("follow-up", fu.inquiry.doc_id),
            fu.due,
            fu.due,
            f"Follow up: {names.get(fu.inquiry.site_id, 'USCE site')}",
            f"{fu.inquiry.contact} - {fu.inquiry.subject}",
        )
        for fu in ov.follow_ups
        if fu.due is not None
    ]


# Each kind of event, in the order the calendar lists them.
EVENT_KINDS = (plan_events, exam_events, rotation_events, task_events, follow_up_events)


def alarm_trigger(event: Event, rules: Rules) -> str:
    """The event's alarm, by its kind (what its UID starts with): an RFC 5545 duration."""
    alarms = rules["calendar_alarms"]
    for kind, trigger in alarms["kinds"].items():
        if event.uid.startswith(kind + "-"):
            return str(trigger)
    return str(alarms["default"])


def render_ics(events: list[Event], stamp: datetime | None = None, rules: Rules | None = None) -> str:
    stamp = stamp or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        PRODID,
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:imgtui",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.end + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        lines.append("TRANSP:TRANSPARENT")
        if rules is not None:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER:{alarm_trigger(event, rules)}",
                f"DESCRIPTION:{_escape(event.summary)}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def ics_text(ov: Overview, rules: Rules, calendar_id: str) -> tuple[str, int]:
    """The calendar as iCalendar text, and its number of events."""
    events = calendar_events(ov, rules, calendar_id)
    return render_ics(events, rules=rules), len(events)


def is_our_calendar(path: Path) -> bool:
    """A file imgtui wrote (its PRODID in the first lines): the only kind it rewrites unasked."""
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and PRODID.encode() in head


def export_ics(ov: Overview, rules: Rules, calendar_id: str, path: Path) -> int:
    text, count = ics_text(ov, rules, calendar_id)
    write_private(path, text.encode("utf-8"))
    return count
