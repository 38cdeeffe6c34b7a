"""Step 2 CK target suggestion and score bands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..records import Profile, choice_label, specialty_words
from .advice import Advice, advise
from .rules import Rules


@dataclass(frozen=True)
class Target:
    """The Step 2 CK target; ``score`` is None until a specialty (and, for internal medicine,
    a tier) is chosen or the user types their own: imgtui shows no target before."""

    suggested: int | None
    low: int | None
    high: int | None
    score: int | None  # what the planner uses: the user's override or the suggestion
    overridden: bool
    reasons: tuple[Advice, ...]

    @property
    def shown(self) -> str:
        """The target in a header: 'target 235', or 'no target yet'."""
        return "no target yet" if self.score is None else f"target {self.score}"


def specialty_group(specialty: str, rules: Rules) -> tuple[str, dict[str, Any]] | None:
    """The articles' group for a specialty; None for one they do not name (general surgery...)."""
    groups = rules["target_by_group"]["groups"]
    for name, group in groups.items():
        if specialty in group["specialties"]:
            return name, group
    return None


def years_since_graduation(profile: Profile, today: date) -> int | None:
    if profile.graduation_year is None:
        return None
    return max(0, today.year - profile.graduation_year)


def step1_failed(profile: Profile) -> bool:
    return profile.step1_status in ("pass_after_fail", "fail") or profile.step1_attempts >= 1


def is_retake(profile: Profile) -> bool:
    """Step 2 CK was failed before (the attempts field counts failed attempts)."""
    return profile.step2_status == "failed" or profile.step2_attempts >= 1


def target_range(profile: Profile, specialty: str, rules: Rules) -> tuple[int, int, int, Advice]:
    """The target range for the specialty (and IM tier), imgtui's pick in it, and why:
    the articles' numbers, or imgtui's labelled placeholder where they give none."""
    im_rule = rules["target_im_tier"]
    if specialty == im_rule["specialty"] and profile.program_tier is not None:
        tier = im_rule["tiers"][profile.program_tier]
        low, high, suggested = tier["low"], tier["high"], tier["suggested"]
        why = advise(
            im_rule,
            f"Internal medicine, {choice_label(profile.program_tier)} programs: "
            f"{tier['text']}; suggested {suggested} (imgtui's pick in that range)",
            low=low,
            high=high,
            suggested=suggested,
        )
        return low, high, suggested, why
    if (found := specialty_group(specialty, rules)) is not None:
        _name, group = found
        low, high, suggested = group["low"], group["high"], group["suggested"]
        why = advise(
            rules["target_by_group"],
            f"{choice_label(specialty)} is {group['label']}: {group['text']}; suggested {suggested} "
            "(imgtui's pick in that range)",
            low=low,
            high=high,
            suggested=suggested,
        )
        return low, high, suggested, why
    # The articles name no target for this specialty: say so, and use a labelled placeholder.
    unnamed = rules["target_by_group"]["unnamed"]
    why = advise(
        rules["target_by_group"],
        f"The articles give no Step 2 CK target for {specialty_words(specialty)}: {unnamed['suggested']} is "
        "imgtui's own placeholder (the core fields' numbers) until you set your target in Profile",
        "info" if profile.target_score is not None else "caution",
        suggested=unnamed["suggested"],
    )
    return unnamed["low"], unnamed["high"], unnamed["suggested"], why


def suggest_target(profile: Profile, today: date, rules: Rules) -> Target:
    im_rule = rules["target_im_tier"]
    if profile.specialty is None or (profile.specialty == im_rule["specialty"] and profile.program_tier is None):
        return unchosen_target(profile, rules)
    low, high, suggested, why = target_range(profile, profile.specialty, rules)
    reasons = [why]
    highly = rules["target_by_group"]["groups"]["highly_competitive"]["specialties"]
    if step1_failed(profile) and profile.specialty in highly:
        reasons.append(
            advise(
                rules["target_by_group"],
                f"Step 1 fail and {choice_label(profile.specialty)}: "
                f"{rules['target_by_group']['step1_fail_highly_competitive']}",
                "caution",
            )
        )
    years = years_since_graduation(profile, today)
    older = rules["older_graduate"]
    if years is not None and years > older["long_gap_years"] and suggested < high:
        suggested = high
        reasons.append(
            advise(
                older,
                f"{years} years since graduation (more than {older['long_gap_years']}): "
                f"aim for the top of the range, {high}, and keep current clinical activity",
                "caution",
                years=years,
                target=high,
            )
        )
    if step1_failed(profile):
        raise_rule = rules["step1_fail_raise"]
        floor = raise_rule["typical_program_minimum"] + raise_rule["margin"]
        if suggested < floor:
            suggested = floor
        reasons.append(
            advise(
                raise_rule,
                f"Step 1 fail on record: aim more than {raise_rule['above_minimum_points']} points above typical "
                "program minimums [001] "
                f'("we don\'t usually interview below {raise_rule["typical_program_minimum"]}" [000]), '
                f"e.g. {floor}+ [003]",
                "caution",
                minimum=raise_rule["typical_program_minimum"],
                margin=raise_rule["margin"],
                floor=floor,
            )
        )
    standing, pick = standing_reasons(profile, suggested, rules)
    reasons.extend(standing)
    if profile.target_score is not None:
        return Target(pick, low, high, profile.target_score, True, tuple(reasons))
    return Target(pick, low, high, pick, False, tuple(reasons))


def standing_reasons(profile: Profile, suggested: int | None, rules: Rules) -> tuple[list[Advice], int | None]:
    """What holds whatever the target: attempts, the failure narrative, Step 1, the visa (and a
    numeric Step 1 that lifts the suggestion)."""
    reasons: list[Advice] = []
    if is_retake(profile):
        reasons.append(
            advise(
                rules["multiple_attempts"],
                f"A failed Step 2 CK on record ({rules['multiple_attempts']['text']} [003]): a pass is the "
                "first priority",
                "caution",
                attempts=profile.step2_attempts,
            )
        )
    if is_retake(profile) or step1_failed(profile):
        reasons.append(advise(rules["failure_narrative"], f"After a fail: {rules['failure_narrative']['text']}"))
    step1 = rules["step1_guidance"]
    if profile.step1_status == "numeric" and profile.step1_score:
        if suggested is not None and suggested < profile.step1_score:
            suggested = min(profile.step1_score, 300)
        lifted = f"; suggested {suggested}" if suggested is not None else ""
        reasons.append(
            advise(
                step1,
                f"Step 1 {profile.step1_score}: {step1['numeric_text']}{lifted}",
                step1=profile.step1_score,
            )
        )
    elif profile.step1_status == "pending":
        reasons.append(advise(step1, f"Step 1 not passed yet: {step1['pending_text']}", "caution"))
    visa = rules["visa_advice"]
    if profile.visa == "h1b":
        reasons.append(advise(visa, visa["h1b_text"]))
    elif profile.visa == "j1":
        reasons.append(advise(visa, visa["j1_text"]))
    return reasons, suggested


def unchosen_target(profile: Profile, rules: Rules) -> Target:
    """No specialty (or no internal medicine tier) yet: no suggestion, only the user's own target."""
    missing = "target specialty" if profile.specialty is None else "internal medicine program tier"
    own = profile.target_score
    text = (
        f"No {missing} chosen yet: choose it in Profile (2) for the articles' Step 2 CK target, its score "
        "band and the program count"
    )
    if own is not None:
        text += f"; your own target {own} is used until then"
    reasons, _ = standing_reasons(profile, None, rules)
    choose = advise(rules["target_by_group"], text, "info" if own is not None else "caution")
    return Target(None, None, None, own, own is not None, (choose, *reasons))


def score_band(score: float, rules: Rules) -> str:
    for band in rules["score_bands"]["bands"]:
        if score >= band["min"]:
            return str(band["label"])
    return str(rules["score_bands"]["bands"][-1]["label"])


def band_advice(score: float, rules: Rules, real: bool = False) -> Advice:
    """The band of a target, or (``real``) of the Step 2 CK score itself."""
    band = score_band(score, rules)
    pass_mark = rules["pass_mark"]
    what = f"Your Step 2 CK {score:g}" if real else f"{score:g}"
    return advise(
        rules["score_bands"],
        f"{what} is {band} for IMGs [000]; pass mark {pass_mark['score']} (USMLE, exams from "
        f"{pass_mark['effective_from']})",
        "info",
        score=score,
        band=band,
        pass_mark=pass_mark["score"],
    )
