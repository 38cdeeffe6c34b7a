"""What ``imgtui remind`` prints for cron or a desktop notification: everything overdue,
then what falls due within a window (outreach tasks, checkpoints, the exam)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .checkpoints import last_day_to_fill
from .outreach import Task
from .overview import Overview
from .rules import Rules


@dataclass(frozen=True)
class Reminders:
    today: date
    until: date
    overdue: tuple[Task, ...]
    due: tuple[Task, ...]


def window_days(hours: int) -> int:
    """Whole days after today a window of ``hours`` reaches (24h: tomorrow, 0h: today only)."""
    return -(-hours // 24)


def reminders(ov: Overview, hours: int, rules: Rules) -> Reminders:
    today = ov.today
    until = today + timedelta(days=window_days(hours))
    tasks = list(ov.tasks)
    exam = ov.snapshot.profile.exam_date
    studying = not ov.snapshot.profile.step2_passed
    for status in ov.checkpoints if studying else ():
        point = status.checkpoint
        text = f"Checkpoint: {point.form} ({point.phase} phase)"
        if status.status in ("today", "planned"):
            tasks.append(Task(point.day, "checkpoint", text, 0, rule="checkpoints"))
        elif status.status == "missed" and exam and last_day_to_fill(point, exam, rules) >= today:
            tasks.append(Task(point.day, "checkpoint", f"{text}: not logged yet", 0, rule="checkpoints"))
    if exam and studying and exam >= today:
        tasks.append(Task(exam, "exam", f"USMLE Step 2 CK exam (decision today: {ov.decision.label})", 0))
    overdue = sorted((t for t in tasks if t.due < today), key=lambda t: (t.due, t.kind, t.site_id))
    due = sorted((t for t in tasks if today <= t.due <= until), key=lambda t: (t.due, t.kind, t.site_id))
    return Reminders(today, until, tuple(overdue), tuple(due))
