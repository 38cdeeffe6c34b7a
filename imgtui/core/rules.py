"""Load and validate ``data/rules.json``: every number the planner uses lives there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..paths import find_data_dir

# Keys each rule must carry; checked at start so a bad edit fails loudly, not mid-advice.
REQUIRED: dict[str, tuple[str, ...]] = {
    "score_bands": ("bands",),
    "pass_mark": ("score", "effective_from"),
    "measurement_error": ("points",),
    "target_by_group": ("groups",),
    "target_im_tier": ("specialty", "tiers"),
    "step1_fail_raise": ("typical_program_minimum", "margin"),
    "older_graduate": ("older_yog_years", "preferred_within_years", "long_gap_years"),
    "multiple_attempts": (),
    "phases": ("baseline_weeks", "core_weeks", "final_weeks", "default_core_weeks", "core_gap_points_for_max"),
    "weak_foundation": ("months_weak_foundation",),
    "checkpoints": (
        "baseline_by_day",
        "core_interval_days_first_half",
        "core_interval_days_second_half",
        "final_spacing_days",
        "final_count",
        "last_assessment_days_before_exam",
        "free120_days_before_exam",
        "min_exams_for_trend",
        "core_forms",
        "final_forms",
        "match_window_days",
        "early_match_days",
    ),
    "daily_questions": (
        "early_weeks",
        "early_per_day",
        "later_per_day",
        "taper_per_day",
        "max_per_day",
        "passes",
        "default_qbank_size",
        "default_study_days_per_week",
    ),
    "trend": ("few_points_factor", "age_widen_points_per_week", "stale_after_days"),
    "go_score": ("go_within", "strong_within"),
    "low_score": ("below", "recent_days"),
    "qbank_percent": ("window_days", "delay_below", "ok_from", "min_questions"),
    "full_length": ("delay_within_days",),
    "eras_timing": ("eras_open_month", "eras_open_day", "score_release_weeks"),
    "first_attempt": ("retake_safety_margin",),
    "delay_guard": ("max_delays", "default_delay_weeks"),
    "program_mix": ("bands", "img_friendly_from_percent"),
    "application_fees": (
        "eras_tiers",
        "token",
        "usmle_transcript",
        "nrmp_registration",
        "nrmp_included_ranks",
        "nrmp_extra_rank",
    ),
    "rotation_costs": ("categories", "insurance_per_month_typical"),
    "outreach_cadence": ("contacted_days", "replied_days", "thank_you_within_days", "remind_window_hours"),
    "site_documents": ("default", "due_days_before_start"),
    "calendar_alarms": ("default", "kinds"),
    "usce_months": ("rows", "not_taken", "absolute_min_months", "weeks_per_month"),
    "usce_types": ("types", "counts_from_rank"),
    "site_rubric": ("worth_it_from", "criteria"),
    "red_flags": ("marketing_phrases", "passive_paid_cost"),
    "alignment": ("min_share", "im_subspecialties"),
    "letters": ("total", "in_specialty_min", "ask_fraction_of_rotation"),
    "email_attending": ("days_before",),
    "step1_guidance": ("numeric_text", "pending_text"),
    "visa_advice": ("h1b_text", "j1_text"),
    "failure_narrative": ("text",),
    "backup_options": ("below", "text"),
    "full_time_usce": ("text",),
    "prediction": ("offsets", "half_life_days", "disagree_points", "release_weeks_typical", "release_weeks_safe"),
    "inquiries": (
        "follow_up_days_default",
        "not_responding_after_follow_ups",
        "daily_top_sites",
        "today_lines_max",
        "options_to_list",
        "promising_rubric_from",
    ),
    "recency": ("recent_months",),
    "programs": ("rows", "low_with_strong_usce"),
}


class RulesError(ValueError):
    """The rules file is missing, unreadable or incomplete."""


def data_dir() -> Path:
    """``data/``: where rules.json and the other data files are (paths.data_dir)."""
    folder = find_data_dir()
    if folder is None:
        raise RulesError(f"data/rules.json not found beside {Path(__file__).resolve().parent.parent}")
    return folder


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    sources: tuple[str, ...]
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def explained(self, sources: dict[str, str]) -> str:
        """The rule in full: its title, what it says, and where each part comes from."""
        lines = [self.title]
        for key in ("text", "note", "release_note", "mixes"):
            value = self.values.get(key)
            if isinstance(value, str):
                lines.append(value)
        lines.append("Sources:")
        lines += [f"  [{source}] {sources.get(source, 'unknown source')}" for source in self.sources]
        return "\n".join(lines)


class Rules:
    def __init__(self, raw: dict[str, Any], origin: str = "rules.json") -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("rules"), dict):
            raise RulesError(f"{origin}: expected an object with a 'rules' object")
        self.sources: dict[str, str] = dict(raw.get("sources", {}))
        self._rules: dict[str, Rule] = {}
        problems: list[str] = []
        for rule_id, keys in REQUIRED.items():
            body = raw["rules"].get(rule_id)
            if not isinstance(body, dict):
                problems.append(f"rule {rule_id!r} is missing")
                continue
            missing = [k for k in keys if k not in body]
            if missing:
                problems.append(f"rule {rule_id!r} lacks {', '.join(missing)}")
            sources = body.get("sources") or []
            if not sources:
                problems.append(f"rule {rule_id!r} names no source article")
            unknown = [s for s in sources if s not in self.sources]
            if unknown:
                problems.append(f"rule {rule_id!r} cites unknown source(s) {unknown}")
            self._rules[rule_id] = Rule(rule_id, str(body.get("title", rule_id)), tuple(sources), body)
        if problems:
            raise RulesError(f"{origin}: " + "; ".join(problems))

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())


def load_rules(path: Path | None = None) -> Rules:
    path = path or data_dir() / "rules.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RulesError(f"cannot read {path}: {exc}") from None
    return Rules(raw, str(path))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()
