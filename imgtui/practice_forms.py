"""The practice forms imgtui knows (``data/practice_forms.json``): their labels, scales
and roles, read from the way people write them ('uwsa2', 'NBME#12')."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from .paths import find_data_dir

FORM_SUGGESTIONS = tuple([f"NBME {n}" for n in range(9, 16)] + ["UWSA 1", "UWSA 2", "UWSA 3", "Free 120", "AMBOSS SA"])


@dataclass(frozen=True)
class FormInfo:
    """A practice form imgtui knows (data/practice_forms.json)."""

    label: str
    scale: str  # three_digit | percent
    role: str  # predictor | practice
    full_length: bool


@functools.cache
def _form_families() -> tuple[tuple[re.Pattern[str], dict[str, Any]], ...]:
    folder = find_data_dir()
    if folder is None:
        return ()
    raw = json.loads((folder / "practice_forms.json").read_text(encoding="utf-8"))
    return tuple((re.compile(family["pattern"]), family) for family in raw["families"])


@functools.lru_cache(maxsize=1024)  # a few dozen distinct forms, asked about on every overview
def form_info(raw: str) -> FormInfo | None:
    """The registry's entry for a form as people write it ('uwsa2', 'NBME#12'); None: unknown."""
    compact = re.sub(r"[\s_\-#.]+", "", raw.lower())
    for pattern, family in _form_families():
        match = pattern.fullmatch(compact)
        if match:
            number = next((g for g in match.groups() if g), "")
            label = family["label"].replace("{n}", number.upper()).strip()
            return FormInfo(label, family["scale"], family["role"], family["full_length"])
    return None


def normalise_form(raw: Any) -> str:
    """'uwsa2' -> 'UWSA 2', 'nbme12' -> 'NBME 12', 'free120' -> 'Free 120'; unknown forms as typed."""
    info = form_info(str(raw).strip())
    return info.label if info else " ".join(str(raw).split())


def is_percentage_form(form: str) -> bool:
    info = form_info(form)
    return info is not None and info.scale == "percent"


def is_full_length(form: str) -> bool:
    """UWSA and AMBOSS self-assessments are full-length simulations (NBME forms are 4 blocks)."""
    info = form_info(form)
    return info is not None and info.full_length
