"""The app's five panes: their order, keys and classes, and where Today's lines lead."""

from __future__ import annotations

from .widgets.profile import ProfilePane
from .widgets.programs import ProgramsPane
from .widgets.schedule import SchedulePane
from .widgets.today import TodayPane
from .widgets.usce import UscePane

# Where Enter on a Today line puts the focus (the pane's default when absent).
GOTO_FOCUS = {
    "setup": "#profile-fields",
    "choose_target": "#profile-fields",
    "start_profile": "#profile-fields",
    "start_exam": "#exams",
    "start_sites": "#sites",
    "start_programs": "#program-sheet",
    "questions": "#qbank",
    "catchup": "#qbank",
    "checkpoint": "#exams",
    "long_block": "#qbank",
    "follow_up": "#inquiries",
    "chase_reply": "#inquiries",
    "not_responding": "#sites",
    "letter": "#sites",
    "pre_rotation": "#sites",
    "documents": "#sites",
    "thank_you": "#sites",
    "waiting": "#sites",
    "outreach": "#sites",
    "more_usce": "#sites",
}

PANE_CLASSES: dict[str, type[TodayPane | ProfilePane | SchedulePane | UscePane | ProgramsPane]] = {
    "today": TodayPane,
    "profile": ProfilePane,
    "schedule": SchedulePane,
    "usce": UscePane,
    "programs": ProgramsPane,
}

# (pane, key, label) of each pane in order: the tab bar, the 1-5 bindings and the pane ids.
TABS = [
    ("today", "1", "Today"),
    ("profile", "2", "Profile"),
    ("schedule", "3", "Schedule"),
    ("usce", "4", "USCE"),
    ("programs", "5", "Programs"),
]
PANES = tuple(pane for pane, _, _ in TABS)
