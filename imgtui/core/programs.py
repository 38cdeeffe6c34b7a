"""The program list checked against the profile, its count and mix against the
articles' advice for the score band [003], and what applying and rotating cost.

Pure: records and numbers in, verdicts and sums out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..records import (
    PROGRAM_TIERS,
    RETIRED_STATUSES,
    SECURED_STATUSES,
    Profile,
    Program,
    UsceSite,
    choice_label,
    specialty_words,
)
from .advice import counted
from .rules import Rules
from .target import is_retake, step1_failed

ELIGIBLE, DOUBTFUL, OUT = "eligible", "doubtful", "out"


@dataclass(frozen=True)
class ProgramCheck:
    program: Program
    verdict: str  # eligible | doubtful | out
    reasons: tuple[str, ...]


def failed_attempts(profile: Profile) -> int:
    return profile.step1_attempts + profile.step2_attempts


def check_program(
    program: Program,
    profile: Profile,
    score: int | None,
    score_source: str,
    usce_weeks: int,
    today: date,
) -> ProgramCheck:
    """Eligible, doubtful (with why) or out (with why) for this applicant."""
    out: list[str] = []
    doubt: list[str] = []
    score_source = score_source.split(" (")[0]  # "target (projection at or above it)": the target
    # Visa: a program that sponsors none is out for anyone who needs one.
    if profile.visa == "j1" and program.visa == "none":
        out.append("sponsors no visa; you need a J-1")
    elif profile.visa == "h1b":
        if program.visa == "none":
            out.append("sponsors no visa; you need an H-1B")
        elif program.visa == "j1":
            doubt.append("sponsors J-1 only; you want an H-1B")
        elif program.step3_for_h1b:
            doubt.append("H-1B only with Step 3 passed before the Match")
    # Graduation: "within N years" counts from the application year.
    cutoff = program.cutoff()
    if cutoff is not None:
        if profile.graduation_year is None:
            doubt.append("states a graduation cut-off; set your graduation year in Profile")
        else:
            season = profile.eras_year or today.year
            kind, number = cutoff
            if kind == "years" and season - profile.graduation_year > number:
                out.append(
                    f"graduates of the last {number} years only; you graduated {profile.graduation_year} "
                    f"({season - profile.graduation_year} years before {season})"
                )
            if kind == "year" and profile.graduation_year < number:
                out.append(f"graduation in {number} or later only; you graduated {profile.graduation_year}")
    # Score: a real Step 2 CK under the minimum is out; a projection or target is doubtful.
    if program.step2_min is not None:
        if score is None:
            doubt.append(f"asks Step 2 CK {program.step2_min}+; no score or projection yet")
        elif score < program.step2_min:
            (out if profile.step2_passed else doubt).append(
                f"asks Step 2 CK {program.step2_min}+; your {score_source} is {score}"
            )
    if program.attempts_accepted is not None and failed_attempts(profile) > program.attempts_accepted:
        accepted = (
            "first-attempt passes only"
            if program.attempts_accepted == 0
            else f"up to {program.attempts_accepted} failed attempts"
        )
        out.append(f"{accepted}; you have {counted(failed_attempts(profile), 'failed attempt')}")
    if program.usce_required and usce_weeks == 0:
        doubt.append("requires US clinical experience; none secured yet")
    verdict = OUT if out else DOUBTFUL if doubt else ELIGIBLE
    return ProgramCheck(program, verdict, tuple(out + doubt))


def _band(score: int | None, profile: Profile, rules: Rules) -> dict[str, object] | None:
    if score is None:
        return None
    attempts = is_retake(profile) or step1_failed(profile)
    for band in rules["program_mix"]["bands"]:
        if score >= band["min_score"] and not (band["clean_only"] and attempts):
            return dict(band)
    return None


@dataclass(frozen=True)
class ProgramList:
    checks: tuple[ProgramCheck, ...]
    recommended: tuple[int, int | None] | None  # None: the articles give no count for the specialty
    band: str | None
    band_text: str
    counts: dict[str, int]  # by kind, of the eligible ones
    missing: tuple[str, ...]

    def of(self, verdict: str) -> list[ProgramCheck]:
        return [c for c in self.checks if c.verdict == verdict]

    def to_json(self) -> dict[str, object]:
        def rows(verdict: str) -> list[dict[str, object]]:
            return [{"name": c.program.name, "reasons": list(c.reasons)} for c in self.of(verdict)]

        low, high = self.recommended or (None, None)
        return {
            "eligible": rows(ELIGIBLE),
            "doubtful": rows(DOUBTFUL),
            "out": rows(OUT),
            "recommended": {"min": low, "max": high},
            "band": self.band,
            "missing": list(self.missing),
        }


def program_list(
    programs: Sequence[Program],
    profile: Profile,
    score: int | None,
    score_source: str,
    usce_weeks: int,
    span: tuple[int, int | None],
    today: date,
    rules: Rules,
) -> ProgramList:
    live = [p for p in programs if p.status != "withdrawn"]
    checks = tuple(check_program(p, profile, score, score_source, usce_weeks, today) for p in live)
    eligible = [c.program for c in checks if c.verdict == ELIGIBLE]
    counts = {kind: sum(1 for p in eligible if p.kind == kind) for kind in PROGRAM_TIERS}
    im = profile.specialty == "internal_medicine"
    recommended = span if im and span[0] else None
    band = _band(score, profile, rules) if im else None
    missing: list[str] = []
    if recommended is not None and len(eligible) < recommended[0]:
        missing.append(
            f"{recommended[0] - len(eligible)} more eligible programs to reach {recommended[0]} [programs, 003]"
        )
    if band is not None and recommended is not None:
        shares: dict[str, float] = band["min_share"]  # type: ignore[assignment]
        for kind, share in shares.items():
            wanted = math.ceil(share * recommended[0])
            if counts[kind] < wanted:
                missing.append(
                    f"{wanted - counts[kind]} more {choice_label(kind)} programs: {counts[kind]} of {wanted} "
                    f"({round(share * 100)}% of {recommended[0]}, imgtui's reading of the {band['name']} band's "
                    "advice [003])"
                )
        friendly_share = band.get("img_friendly_share")
        if isinstance(friendly_share, float):
            line = rules["program_mix"]["img_friendly_from_percent"]
            friendly = sum(1 for p in eligible if (p.img_share or 0) >= line)
            wanted = math.ceil(friendly_share * recommended[0])
            if friendly < wanted:
                missing.append(
                    f"{wanted - friendly} more IMG-friendly programs ({line}%+ IMG residents, imgtui's own line; "
                    f"{friendly} so far) [003]"
                )
    if profile.visa == "h1b":
        h1b = sum(1 for c in checks if c.verdict != OUT and c.program.visa == "j1_h1b")
        missing.append(f"only {h1b} of your {len(checks)} programs sponsor H-1B" if h1b < len(checks) else "")
    if not im and live:
        what = specialty_words(profile.specialty)
        missing.append(f"the articles give program counts for internal medicine only [003], none for {what}")
    text = str(band["text"]) if band else ""
    return ProgramList(
        checks, recommended, str(band["name"]) if band else None, text, counts, tuple(m for m in missing if m)
    )


# ---------------------------------------------------------------- costs


def eras_fee(count: int, rules: Rules) -> float:
    """ERAS fees for ``count`` programs of one specialty (the tiers reset per specialty)."""
    total, below = 0.0, 0
    for tier in rules["application_fees"]["eras_tiers"]:
        top = tier["up_to"] if tier["up_to"] is not None else count
        in_tier = max(0, min(count, top) - below)
        total += in_tier * tier["each"]
        below = max(below, top)
    return total


@dataclass(frozen=True)
class ApplicationCost:
    eras: float
    token: float
    transcript: float
    nrmp: float
    exams: float = 0.0  # Step 2 CK until passed, Step 3 for an H-1B

    @property
    def total(self) -> float:
        return self.eras + self.token + self.transcript + self.nrmp + self.exams


def exam_fees(profile: Profile, rules: Rules) -> float:
    fees = rules["application_fees"]
    return (0.0 if profile.step2_passed else fees["step2_ck"]) + (fees["step3"] if profile.visa == "h1b" else 0.0)


def application_cost(programs: Sequence[Program], rules: Rules, profile: Profile | None = None) -> ApplicationCost:
    """The cost of applying to the list as it stands (withdrawn ones left out): ERAS per
    specialty, the ECFMG token, the USMLE transcript, and NRMP with its extra ranks."""
    fees = rules["application_fees"]
    live = [p for p in programs if p.status != "withdrawn"]
    exams = exam_fees(profile, rules) if profile is not None else 0.0
    if not live:
        return ApplicationCost(0.0, 0.0, 0.0, 0.0, exams)
    by_specialty: dict[str, int] = {}
    for program in live:
        by_specialty[program.specialty] = by_specialty.get(program.specialty, 0) + 1
    eras = sum(eras_fee(n, rules) for n in by_specialty.values())
    ranked = sum(1 for p in live if p.status in ("interviewed", "ranked"))
    nrmp = fees["nrmp_registration"] + max(0, ranked - fees["nrmp_included_ranks"]) * fees["nrmp_extra_rank"]
    return ApplicationCost(eras, float(fees["token"]), float(fees["usmle_transcript"]), float(nrmp), exams)


@dataclass(frozen=True)
class RotationCosts:
    secured: float
    planned: float  # every active site, secured or not
    per_week: float | None  # of the secured rotations
    per_letter: float | None  # secured rotations with letter potential: each expected to give one letter
    fee_only: tuple[str, ...]  # secured rotations with no cost but the fee entered
    budget: float | None

    def over_budget(self) -> float:
        return 0.0 if self.budget is None else max(0.0, self.planned - self.budget)


def rotation_costs(sites: Sequence[UsceSite], profile: Profile) -> RotationCosts:
    secured = [s for s in sites if s.status in SECURED_STATUSES]
    active = [s for s in sites if s.status not in RETIRED_STATUSES]
    weeks = sum(s.weeks or 0 for s in secured)
    total = sum(s.total_cost() for s in secured)
    letter_sites = [s for s in secured if s.letter_potential]
    return RotationCosts(
        total,
        sum(s.total_cost() for s in active),
        total / weeks if weeks else None,
        sum(s.total_cost() for s in letter_sites) / len(letter_sites) if letter_sites else None,
        tuple(s.name for s in secured if not s.costs_entered()),
        profile.usce_budget,
    )
