"""Target suggestion, bands and the rules file."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest

from imgtui.core.rules import Rules, RulesError, data_dir
from imgtui.core.target import score_band, suggest_target
from imgtui.records import Profile

TODAY = date(2026, 11, 22)


def profile(**values) -> Profile:
    return Profile.from_input({"program_tier": "community", **values})


def test_core_never_imports_textual_or_tinydb() -> None:
    core = Path(__file__).parent.parent / "imgtui" / "core"
    for path in core.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("textual", "tinydb")), f"{path.name} imports {name}"


def test_rules_file_is_validated() -> None:
    raw = json.loads((data_dir() / "rules.json").read_text())
    del raw["rules"]["pass_mark"]["score"]
    raw["rules"]["go_score"]["sources"] = []
    with pytest.raises(RulesError) as info:
        Rules(raw)
    assert "pass_mark" in str(info.value) and "go_score" in str(info.value)


def test_every_rule_cites_a_source_article(rules) -> None:
    for rule in rules:
        assert rule.sources, rule.id
        assert all(s in rules.sources for s in rule.sources)


@pytest.mark.parametrize(
    "score, band",
    [
        (260, "elite"),
        (259, "strong"),
        (245, "strong"),
        (244, "decent"),
        (230, "decent"),
        (229, "below average"),
        (220, "below average"),
        (219, "tough"),
        (200, "tough"),
    ],
)
def test_bands_at_their_edges(rules, score: int, band: str) -> None:
    assert score_band(score, rules) == band


@pytest.mark.parametrize("tier, suggested", [("academic", 250), ("university_affiliated", 245), ("community", 235)])
def test_internal_medicine_by_tier(rules, tier: str, suggested: int) -> None:
    t = suggest_target(profile(specialty="IM", program_tier=tier, graduation_year=2025), TODAY, rules)
    assert t.score == suggested and t.reasons[0].rule == "target_im_tier"


# neurology is grouped with EM and anesthesia as competitive in [000]: aim 250+
@pytest.mark.parametrize("specialty, suggested", [("family_medicine", 240), ("neurology", 250), ("dermatology", 255)])
def test_specialty_groups(rules, specialty: str, suggested: int) -> None:
    t = suggest_target(profile(specialty=specialty, graduation_year=2025), TODAY, rules)
    assert t.score == suggested and t.reasons[0].rule == "target_by_group"


def test_step1_fail_raises_the_bar_to_the_articles_235(rules) -> None:
    """[001]: more than 10-15 above typical minimums; [003]: e.g. 235+ (not imgtui's old 240)."""
    plain = suggest_target(profile(specialty="FM", step1_status="pass"), TODAY, rules)
    failed = suggest_target(profile(specialty="FM", step1_status="pass_after_fail"), TODAY, rules)
    assert plain.score == 240 and failed.score == 240  # FM's own 240 is above the raised floor already
    community = suggest_target(profile(specialty="IM", program_tier="community", step1_status="fail"), TODAY, rules)
    assert community.score == 235
    assert any(r.rule == "step1_fail_raise" and r.numbers["floor"] == 235 for r in community.reasons)


@pytest.mark.parametrize("specialty", ["general surgery", "OB/GYN", "pathology", "other"])
def test_a_specialty_the_articles_do_not_name_is_said_so_plainly(rules, specialty: str) -> None:
    t = suggest_target(profile(specialty=specialty), TODAY, rules)
    note = t.reasons[0]
    assert note.message.startswith("The articles give no Step 2 CK target for")
    assert "imgtui's own placeholder" in note.message and note.severity == "caution"
    overridden = suggest_target(profile(specialty=specialty, target_score=238), TODAY, rules)
    assert overridden.score == 238 and overridden.reasons[0].severity == "info"


def test_a_step1_fail_with_a_highly_competitive_specialty_gets_the_warning_and_the_alternatives(rules) -> None:
    """[001]: after a Step 1 fail, dermatology & co. become extremely unlikely; IM/FM/psych/peds."""
    t = suggest_target(profile(specialty="dermatology", step1_status="pass_after_fail"), TODAY, rules)
    warning = next(r for r in t.reasons if "extremely unlikely" in r.message)
    assert warning.severity == "caution" and "family medicine" in warning.message and "[001]" in warning.message


def test_more_than_five_years_since_graduation_aims_for_top_of_range(rules) -> None:
    """[003]: 5-7+ years since graduation needs stronger scores; the raise starts past 5."""
    five = suggest_target(profile(specialty="IM", graduation_year=2021), TODAY, rules)  # 5 years
    six = suggest_target(profile(specialty="IM", graduation_year=2020), TODAY, rules)  # 6 years
    assert five.score == 235 and six.score == 239


def test_override_keeps_suggestion_visible(rules) -> None:
    t = suggest_target(profile(specialty="IM", target_score=248), TODAY, rules)
    assert (t.score, t.suggested, t.overridden) == (248, 235, True)


def test_no_target_before_a_specialty_is_chosen(rules) -> None:
    """A new profile has no specialty: imgtui shows no target, only how to choose one."""
    fresh = suggest_target(Profile(), TODAY, rules)
    assert (fresh.score, fresh.suggested, fresh.low, fresh.overridden) == (None, None, None, False)
    first = fresh.reasons[0]
    assert first.severity == "caution" and "No target specialty chosen yet" in first.message
    assert fresh.shown == "no target yet"
    # Internal medicine's target depends on the tier: none until it is chosen too.
    im_only = suggest_target(Profile.from_input({"specialty": "IM"}), TODAY, rules)
    assert im_only.score is None and "internal medicine program tier" in im_only.reasons[0].message
    # What holds whatever the target stays: a Step 1 still pending.
    assert any(r.rule == "step1_guidance" for r in fresh.reasons)


def test_an_own_target_is_used_before_a_specialty_is_chosen(rules) -> None:
    own = suggest_target(Profile.from_input({"target_score": 245}), TODAY, rules)
    assert (own.score, own.overridden, own.suggested) == (245, True, None)
    assert own.reasons[0].severity == "info" and "your own target 245 is used" in own.reasons[0].message
