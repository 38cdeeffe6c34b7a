"""USCE sites, inquiries, letters and the program-list size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import (
    SITE_STATUSES,
    Inquiry,
    Profile,
    UsceSite,
    choice_label,
    specialty_words,
)
from .advice import Advice, advise, counted, only_counted
from .rules import Rules
from .target import is_retake, step1_failed


@dataclass(frozen=True, slots=True)
class SiteAssessment:
    site: UsceSite
    rubric: int
    criteria_met: tuple[str, ...]
    strength: str
    rank: int
    red_flags: tuple[str, ...]
    worth_it: bool
    unknown: tuple[str, ...] = ()  # criteria not known yet (counted as not met): fill them in


def aligned(specialty: str, target: str | None, rules: Rules) -> bool:
    """A rotation or letter in the target specialty; for IM, its subspecialties too [002]
    (none while the target specialty is not chosen)."""
    if target is None:
        return False
    if specialty == target:
        return True
    return target == "internal_medicine" and specialty in rules["alignment"]["im_subspecialties"]


def counts_as_usce(site: UsceSite, rules: Rules) -> bool:
    """Observerships and up count as USCE months; shadowing, tele-rotations and research do not."""
    types = rules["usce_types"]
    return bool(types["types"][site.usce_type]["rank"] >= types["counts_from_rank"])


def assess_site(site: UsceSite, profile: Profile, rules: Rules) -> SiteAssessment:
    criteria = rules["site_rubric"]["criteria"]
    met: list[str] = []
    unknown: list[str] = []
    teaching = site.has_residents and site.setting not in ("private_office", "virtual")
    if teaching and site.setting is not None:
        met.append(criteria[0])
    elif site.has_residents is None or (site.has_residents and site.setting is None):
        unknown.append(criteria[0])
    for value, criterion in (
        (site.hands_on, criteria[1]),
        (aligned(site.specialty, profile.specialty, rules), criteria[2]),
        (site.letter_potential, criteria[3]),
        (site.documentation, criteria[4]),
    ):
        if value:
            met.append(criterion)
        elif value is None:
            unknown.append(criterion)
    kind = rules["usce_types"]["types"][site.usce_type]
    flags_rule = rules["red_flags"]
    flags: list[str] = []
    notes = site.notes.lower()
    for phrase in flags_rule["marketing_phrases"]:
        if phrase in notes:
            flags.append(f"marketing: '{phrase}'")
            break
    if site.has_residents is False:
        flags.append("no residents / structured teaching")
    if site.setting == "private_office":
        flags.append("one private office")
    if site.usce_type == "tele_rotation" or site.setting == "virtual":
        flags.append("tele-rotation")
    passive = site.usce_type.startswith("observership") or site.usce_type == "shadowing"
    # The whole cost, not the fee alone: housing and travel are most of it [002].
    total = site.total_cost()
    if passive and not site.hands_on and total >= flags_rule["passive_paid_cost"]:
        flags.append(f"${total:,.0f} for a passive observership")
    return SiteAssessment(
        site,
        len(met),
        tuple(met),
        kind["strength"],
        kind["rank"],
        tuple(flags),
        len(met) >= rules["site_rubric"]["worth_it_from"],
        tuple(unknown),
    )


# ---------------------------------------------------------------- pipeline

# idea ... completed in order; declined / rejected / not responding end a site's pipeline.
PIPELINE = SITE_STATUSES[: SITE_STATUSES.index("completed") + 1]


def site_key(site: UsceSite) -> tuple[str, str]:
    """Name and city as a person means them: case and spacing aside."""
    return " ".join(site.name.casefold().split()), " ".join(site.city.casefold().split())


def same_rotation(site: UsceSite, others: Sequence[UsceSite]) -> UsceSite | None:
    """Another site of the same name and city starting the same day (or neither dated):
    one rotation entered twice."""
    key = site_key(site)
    return next(
        (o for o in others if o.doc_id != site.doc_id and o.start == site.start and site_key(o) == key),
        None,
    )


def same_place(site: UsceSite, others: Sequence[UsceSite]) -> list[UsceSite]:
    """The other rotations listed at the same name and city."""
    key = site_key(site)
    return [o for o in others if o.doc_id != site.doc_id and site_key(o) == key]


def next_status(status: str) -> str | None:
    """The next pipeline step, or None at the end or on a closed status."""
    if status not in PIPELINE or status == PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(status) + 1]


def status_after_inquiry(status: str) -> str:
    """Sending the first e-mail makes an idea a contacted site."""
    return "contacted" if status == "idea" else status


def status_after_reply(status: str, gist: str | None = None) -> str:
    """A reply moves a site that was waiting (or given up on) on: to accepted when it
    offers a place, declined when it says no, replied otherwise."""
    waiting = ("idea", "contacted", "not_responding", "replied", "applied")
    if gist == "yes" and status in waiting:
        return "accepted"
    if gist == "no" and status in waiting:
        return "declined"
    return "replied" if status in ("idea", "contacted", "not_responding") else status


# ---------------------------------------------------------------- inquiries


@dataclass(frozen=True, slots=True)
class FollowUp:
    inquiry: Inquiry
    due: date | None  # None once replied
    overdue: bool
    not_responding: bool


# Templates of e-mails that ask for a place and so wait for a reply (and follow-ups).
FIRST_CONTACT_TEMPLATES = ("", "first-inquiry", "cold-attending")


def expects_reply(inquiry: Inquiry) -> bool:
    return inquiry.template in FIRST_CONTACT_TEMPLATES


def follow_up(inquiry: Inquiry, profile: Profile, today: date, rules: Rules) -> FollowUp:
    """The next follow-up of an unanswered e-mail: the cadence after the latest e-mail
    (rule outreach_cadence, or the profile's own), or the end of a snooze if later."""
    if inquiry.replied or not expects_reply(inquiry):
        return FollowUp(inquiry, None, False, False)
    days = profile.follow_up_days or rules["outreach_cadence"]["contacted_days"]
    last = inquiry.last_follow_up or inquiry.sent
    due = last + timedelta(days=days)
    if inquiry.snoozed_until and inquiry.snoozed_until > due:
        due = inquiry.snoozed_until
    limit = rules["inquiries"]["not_responding_after_follow_ups"]
    silent = inquiry.follow_ups >= limit
    return FollowUp(inquiry, None if silent else due, (not silent) and today >= due, silent)


def second_entry_problem(site: UsceSite, others: Sequence[UsceSite]) -> str | None:
    """Why ``site`` cannot be saved beside ``others``: it is one of them entered again."""
    twin = same_rotation(site, others)
    if twin is None:
        return None
    when = f"starting {twin.start}" if twin.start else "with no start date"
    return (
        f"{twin.name} ({twin.city or 'no city'}) {when} is already in the tracker: "
        "edit that row, or give this rotation its own start date"
    )


def also_listed_note(site: UsceSite, others: Sequence[UsceSite]) -> str | None:
    """A note for a new rotation at a place already listed (kept: a second rotation there is normal)."""
    elsewhere = same_place(site, others)
    if not elsewhere:
        return None
    starts = ", ".join(str(o.start) if o.start else "undated" for o in elsewhere)
    return (
        f"{site.name} ({site.city or 'no city'}) was already listed (starting {starts}): "
        "keep both if they are different rotations, or press ctrl+z."
    )


def not_responding_text(follow_ups: int) -> str:
    """What to do once the follow-ups rule says a site is not responding (rule: inquiries)."""
    return f"{counted(follow_ups, 'follow-up')} unanswered; mark the site not responding and move on"


def email_attending_window(site: UsceSite, rules: Rules) -> tuple[date, date] | None:
    if site.start is None:
        return None
    early, late = rules["email_attending"]["days_before"][1], rules["email_attending"]["days_before"][0]
    return site.start - timedelta(days=early), site.start - timedelta(days=late)


def letter_ask_date(site: UsceSite, rules: Rules) -> date | None:
    """End of week 3 of a 4-week rotation, scaled to other lengths."""
    if site.start is None or not site.weeks:
        return None
    fraction = rules["letters"]["ask_fraction_of_rotation"]
    return site.start + timedelta(days=max(1, round(site.weeks * 7 * fraction)) - 1)


# ---------------------------------------------------------------- outreach


def outreach_advice(assessed: Sequence[SiteAssessment], inquiries: Sequence[Inquiry], rules: Rules) -> Advice | None:
    rule = rules["inquiries"]
    emailed = {i.site_id for i in inquiries}
    promising = sorted(
        (
            a
            for a in assessed
            if a.rubric >= rule["promising_rubric_from"]
            and not a.red_flags
            and a.site.status not in ("declined", "rejected")
        ),
        key=lambda a: -a.rubric,
    )
    contacted = [a for a in promising if a.site.doc_id in emailed]
    want = rule["daily_top_sites"]
    low, high = rule["options_to_list"]
    if len(assessed) < low:
        return advise(
            rule,
            f"{counted(len(assessed), 'site') if assessed else 'No sites'} listed: list {low}-{high} options "
            "with type, duration, cost and "
            f"teaching vs private, then e-mail the top {want} the same day",
            "caution",
            listed=len(assessed),
            options=[low, high],
        )
    if len(contacted) < want:
        waiting = [a.site.name for a in promising if a.site.doc_id not in emailed]
        names = ", ".join(waiting[: want - len(contacted)])
        return advise(
            rule,
            f"{only_counted(len(contacted), 'promising site')} "
            f"(rubric {rule['promising_rubric_from']}+ and no red flags) e-mailed: "
            f"e-mail {want - len(contacted)} more today" + (f" ({names})" if names else " (add promising sites first)"),
            "caution",
            contacted=len(contacted),
            goal=want,
        )
    return None


# ---------------------------------------------------------------- programs


def programs_advice(
    score: int | None, score_source: str, profile: Profile, usce_weeks: int, rules: Rules
) -> tuple[Advice, tuple[int, int | None]]:
    rule = rules["programs"]
    if profile.specialty is None:
        return advise(
            rule,
            "Program count: choose your target specialty in Profile first (the articles give counts for "
            "internal medicine [003])",
            "info",
        ), (0, None)
    if profile.specialty != rule["specialty"]:
        what = specialty_words(profile.specialty)
        return advise(
            rule,
            f"The articles give program counts for internal medicine only [003], none for {what}: "
            "size the list from your specialty's own data (FREIDA, program websites)",
            "info",
        ), (0, None)
    if score is None:
        row = rule["rows"][-1]
        return advise(rule, "No score to size the program list yet: log a practice score or set a target", "info"), (
            row["programs"][0],
            row["programs"][1],
        )
    attempts = is_retake(profile) or step1_failed(profile)
    low_usce = rule["low_with_strong_usce"]
    strong_usce = usce_weeks >= low_usce["min_usce_months"] * rules["usce_months"]["weeks_per_month"]
    chosen = rule["attempts"] if attempts else next(row for row in rule["rows"] if score >= row["min_score"])
    text = chosen["text"]
    span = (chosen["programs"][0], chosen["programs"][1])
    if score <= low_usce["max_score"] and strong_usce and not attempts:
        span = (low_usce["programs"][0], low_usce["programs"][1])
        text = low_usce["text"]
    overlap = rule["overlap"]
    if overlap["min_score"] <= score <= overlap["max_score"] and span == tuple(chosen["programs"]):
        # 230-234 sits in two of the article's ranges: show both, the list spans them
        text = f"{text}; {overlap['text']}"
        span = (span[0], overlap["programs"][1])
    high = "+" if span[1] is None else f"-{span[1]}"
    visa = choice_label(profile.visa) if profile.visa != "none" else None
    visa_text = f"; you need a {visa}: keep the programs that sponsor it" if visa else ""
    why = " with attempts on record" if attempts else ""
    basis = f"your {score_source.split(' (')[0]} {score}"  # "your target 235", "your projected score 228"
    if "(" in score_source:
        basis += " (the projection reaches it)"
    return advise(
        rule,
        f"Internal medicine: apply to {span[0]}{high} programs ({text}) for {basis}{why}; sort them "
        f"IMG-friendly vs IMG-rare, visa sponsoring, community vs academic{visa_text}",
        "info",
        score=score,
        min=span[0],
        max=span[1],
    ), span
