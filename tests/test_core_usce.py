"""USCE site rubric, red flags, summary, letters, inquiries, outreach and programs."""

from __future__ import annotations

from datetime import date, timedelta

from imgtui.core.overview import Snapshot, build_overview
from imgtui.core.rules import default_rules
from imgtui.core.usce import (
    assess_site,
    email_attending_window,
    follow_up,
    letter_ask_date,
    outreach_advice,
    programs_advice,
)
from imgtui.core.usce_summary import summarise_usce
from imgtui.records import Inquiry, Letter, Profile, UsceSite

RULES = default_rules()
TODAY = date(2026, 11, 22)
IM = Profile.from_input({"specialty": "IM", "graduation_year": 2024})


def site(doc_id: int = 1, **values) -> UsceSite:
    return UsceSite.from_input({"name": f"Site {doc_id}", **values}).replace(doc_id=doc_id)


def test_rubric_counts_each_criterion() -> None:
    best = assess_site(
        site(
            has_residents=True,
            setting="teaching hospital",
            hands_on=True,
            specialty="IM",
            letter_potential=True,
            documentation=True,
            usce_type="externship",
        ),
        IM,
        RULES,
    )
    assert best.rubric == 5 and best.worth_it and best.strength == "strong" and not best.red_flags
    teaching = {"has_residents": True, "setting": "teaching hospital", "specialty": "IM"}
    two = assess_site(site(**teaching, hands_on=False, letter_potential="no", documentation="no"), IM, RULES)
    assert two.rubric == 2 and not two.worth_it and not two.unknown
    three = assess_site(site(**teaching, documentation=True), IM, RULES)
    assert three.rubric == 3 and three.worth_it


def test_a_new_site_starts_unknown_and_an_unknown_criterion_is_not_met() -> None:
    new = site()
    assert (new.has_residents, new.hands_on, new.letter_potential, new.documentation) == (None, None, None, None)
    assert new.setting is None and new.cost is None
    a = assess_site(new, IM, RULES)
    criteria = RULES["site_rubric"]["criteria"]
    assert a.rubric == 1 and a.criteria_met == (criteria[2],)  # only the specialty is known
    assert a.unknown == (criteria[0], criteria[1], criteria[3], criteria[4])
    assert not a.red_flags  # unknown residents is not "no residents"
    # Residents yes but the setting not known: still unknown; "?" reads as unknown too.
    half = assess_site(site(has_residents=True, hands_on="?"), IM, RULES)
    assert criteria[0] in half.unknown and criteria[1] in half.unknown


def test_red_flags() -> None:
    bad = assess_site(
        site(
            setting="private office",
            has_residents=False,
            usce_type="observership",
            cost=3000,
            notes="Guaranteed interview at partner programs!",
        ),
        IM,
        RULES,
    )
    assert any("guaranteed interview" in f for f in bad.red_flags)
    assert "one private office" in bad.red_flags and "no residents / structured teaching" in bad.red_flags
    assert any("passive observership" in f for f in bad.red_flags)
    tele = assess_site(site(usce_type="tele"), IM, RULES)
    assert "tele-rotation" in tele.red_flags
    cheap = assess_site(site(usce_type="observership", cost=1999), IM, RULES)
    assert not any("passive" in f for f in cheap.red_flags)


def test_summary_counts_secured_weeks_against_recommendation() -> None:
    sites = [
        site(1, status="booked", weeks=4, specialty="IM", hands_on=True, cost=1800),
        site(2, status="completed", weeks=4, specialty="neurology", cost=1000),
        site(3, status="contacted", weeks=8, cost=4000),
    ]
    summary = summarise_usce(IM, sites, [], 236, TODAY, RULES)
    assert (summary.weeks_secured, summary.weeks_in_specialty, summary.weeks_hands_on) == (8, 4, 4)
    assert summary.months_recommended == (2, 3) and summary.cost_secured == 2800
    assert summary.advice[0].severity == "ok"  # 8 weeks = 2 months
    not_taken = summarise_usce(IM, sites, [], None, TODAY, RULES)
    assert not_taken.months_recommended == (1, 2)
    low = summarise_usce(IM, sites, [], 219, TODAY, RULES)
    assert low.months_recommended == (4, 6) and low.advice[0].severity == "caution"


def test_alignment_and_recency_warnings() -> None:
    sites = [site(1, status="completed", weeks=8, specialty="neurology", start="2024-01-01")]
    old_grad = Profile.from_input({"specialty": "IM", "graduation_year": 2021})
    rules = {a.rule for a in summarise_usce(old_grad, sites, [], 240, TODAY, RULES).advice}
    assert {"alignment", "recency"} <= rules


def test_letters_needed() -> None:
    """[002]: at least one letter from the target specialty, and the articles' mixes."""
    letters = [
        Letter.from_input({"writer": "A", "specialty": "IM", "us_faculty": True, "agreed": True}),
        Letter.from_input({"writer": "B", "specialty": "IM", "us_faculty": False, "agreed": True}),
    ]
    summary = summarise_usce(IM, [], letters, 236, TODAY, RULES)
    assert summary.letters_in_specialty == 1 and summary.letters_needed == 3
    letter_advice = next(a for a in summary.advice if a.rule == "letters")
    assert letter_advice.severity == "caution" and "at least 1 [002]" in letter_advice.message
    assert "2 + 1 related" in letter_advice.message


def test_a_letter_only_asked_for_is_not_yet_counted() -> None:
    asked = Letter.from_input({"writer": "Dr. Ruiz", "specialty": "IM", "asked": "2026-11-01"})
    summary = summarise_usce(IM, [], [asked], 236, TODAY, RULES)
    assert summary.letters_total == 0 and summary.letters_in_specialty == 0
    assert "1 asked, not yet agreed" in next(a for a in summary.advice if a.rule == "letters").message


def test_letter_ask_and_attending_email_dates() -> None:
    four = site(start="2027-03-01", weeks=4)
    assert letter_ask_date(four, RULES) == date(2027, 3, 21)  # end of week 3
    eight = site(start="2027-03-01", weeks=8)
    assert letter_ask_date(eight, RULES) == date(2027, 3, 1) + timedelta(days=41)
    assert email_attending_window(four, RULES) == (date(2027, 2, 24), date(2027, 2, 26))


def test_follow_ups_and_not_responding() -> None:
    inquiry = Inquiry.from_input({"site_id": 1, "sent": "2026-11-10"})
    fu = follow_up(inquiry, IM, TODAY, RULES)
    assert fu.due == date(2026, 11, 17) and fu.overdue
    assert not follow_up(inquiry, IM, date(2026, 11, 16), RULES).overdue
    custom = Profile.from_input({"follow_up_days": 14})
    assert follow_up(inquiry, custom, TODAY, RULES).due == date(2026, 11, 24)
    silent = inquiry.replace(follow_ups=2, last_follow_up=date(2026, 11, 20))
    assert follow_up(silent, IM, TODAY, RULES).not_responding
    answered = inquiry.replace(replied=date(2026, 11, 12))
    assert follow_up(answered, IM, TODAY, RULES).due is None


def test_outreach_goal() -> None:
    few = [site(i) for i in range(1, 4)]
    assert "list 10-15 options" in outreach_advice([assess_site(s, IM, RULES) for s in few], [], RULES).message
    good = dict(has_residents=True, hands_on=True, specialty="IM", letter_potential=True)
    many = [assess_site(site(i, **good), IM, RULES) for i in range(1, 12)]
    advice = outreach_advice(many, [Inquiry.from_input({"site_id": 1, "sent": "2026-11-20"})], RULES)
    assert advice.message.startswith("Only 1 promising site (rubric") and "e-mail 2 more today" in advice.message
    assert outreach_advice(many, [], RULES).message.startswith("No promising sites (rubric")
    assert outreach_advice([], [], RULES).message.startswith("No sites listed: list 10-15 options")
    assert outreach_advice(many[:1], [], RULES).message.startswith("1 site listed:")
    inquiries = [Inquiry.from_input({"site_id": i, "sent": "2026-11-20"}) for i in (1, 2, 3)]
    assert outreach_advice(many, inquiries, RULES) is None


def test_programs_by_score_and_attempts() -> None:
    assert programs_advice(248, "Step 2 CK", IM, 0, RULES)[1] == (80, 100)
    assert programs_advice(235, "Step 2 CK", IM, 0, RULES)[1] == (80, 120)
    assert programs_advice(225, "Step 2 CK", IM, 0, RULES)[1] == (120, 160)  # 220-234: often 120-160
    assert programs_advice(224, "Step 2 CK", IM, 12, RULES)[1] == (140, 180)
    low = programs_advice(214, "Step 2 CK", IM, 0, RULES)
    assert low[1] == (120, None) and "120-150+ may be necessary" in low[0].message  # not the 220-234 row
    retaker = Profile.from_input({"specialty": "IM", "program_tier": "community", "step2_attempts": 1})
    attempts = programs_advice(248, "Step 2 CK", retaker, 0, RULES)
    assert attempts[1] == (120, None) and "attempts on record: 120+ (worked example 2)" in attempts[0].message


def test_a_rotation_entered_twice_is_told_from_a_second_rotation_at_one_site() -> None:
    from imgtui.core.usce import same_place, same_rotation

    mercy = site(1, name="Mercy Hospital", city="Chicago, IL", start="2027-03-01")
    again = site(2, name=" mercy  HOSPITAL", city="chicago,  il", start="1 Mar 2027")
    later = site(3, name="Mercy Hospital", city="Chicago, IL", start="2027-09-06")
    elsewhere = site(4, name="Mercy Hospital", city="Springfield, IL", start="2027-03-01")
    listed = [mercy, later, elsewhere]
    assert same_rotation(again, listed) is mercy
    assert same_rotation(later, listed) is None  # itself does not count
    assert same_rotation(elsewhere, [mercy, later]) is None
    assert same_place(again, listed) == [mercy, later]
    undated = site(5, name="Mercy Hospital", city="Chicago, IL")
    assert same_rotation(site(6, name="Mercy Hospital", city="Chicago, IL"), [undated]) is undated
    # what the form and the app say of them
    from imgtui.core.usce import also_listed_note, second_entry_problem

    assert second_entry_problem(again, listed) == (
        "Mercy Hospital (Chicago, IL) starting 2027-03-01 is already in the tracker: "
        "edit that row, or give this rotation its own start date"
    )
    assert second_entry_problem(later, listed) is None and also_listed_note(elsewhere, [mercy, later]) is None
    assert also_listed_note(site(7, name="mercy hospital", city="Chicago, IL"), listed) == (
        "mercy hospital (Chicago, IL) was already listed (starting 2027-03-01, 2027-09-06): "
        "keep both if they are different rotations, or press ctrl+z."
    )


def test_programs_mention_the_visa_needed() -> None:
    j1 = Profile.from_input({"specialty": "IM", "visa": "J-1"})
    assert "you need a J-1" in programs_advice(235, "target", j1, 0, RULES)[0].message
    assert "you need" not in programs_advice(235, "target", IM, 0, RULES)[0].message


def test_site_pipeline() -> None:
    from imgtui.core.usce import next_status, status_after_inquiry, status_after_reply

    assert next_status("idea") == "contacted" and next_status("in_progress") == "completed"
    assert next_status("completed") is None and next_status("rejected") is None
    assert status_after_inquiry("idea") == "contacted" and status_after_inquiry("booked") == "booked"
    assert status_after_reply("not_responding") == "replied" and status_after_reply("accepted") == "accepted"


def test_recommended_months_come_in_weeks_too() -> None:
    summary = build_overview(Snapshot(IM), TODAY, RULES).usce
    per_month = RULES["usce_months"]["weeks_per_month"]
    low, high = summary.months_recommended
    assert summary.weeks_recommended == (low * per_month, high * per_month)


def test_counts_in_advice_agree_with_their_nouns() -> None:
    from imgtui.core.advice import counted

    assert [counted(n, "US letter") for n in (0, 1, 2)] == ["0 US letters", "1 US letter", "2 US letters"]
    assert counted(1, "follow-up") == "1 follow-up" and counted(3, "ox", "oxen") == "3 oxen"
    one_letter = Letter.from_input({"writer": "Dr. Ruiz", "us_faculty": "yes", "specialty": "IM", "agreed": "yes"})
    one_week = site(1, status="booked", weeks=1, specialty="family medicine")
    summary = summarise_usce(IM, [one_week], [one_letter], 236, TODAY, RULES)
    messages = " | ".join(a.message for a in summary.advice)
    assert "Letters: 1 US letter in internal medicine" in messages
    assert "Secured 1 week of USCE (" in messages and "Of 1 secured week, only 0 in your target specialty" in messages


# ---------------------------------------------------------------- kinds of USCE [000, 002]


def booked(usce_type: str, weeks: int, hands_on: bool = False, specialty: str = "internal_medicine") -> UsceSite:
    return UsceSite.from_input(
        {
            "name": f"{usce_type} site",
            "usce_type": usce_type,
            "weeks": weeks,
            "hands_on": hands_on,
            "specialty": specialty,
            "status": "completed",
        }
    )


def test_research_and_tele_rotations_are_not_counted_as_usce_months() -> None:
    """[000]: research does not count as USCE ('Not really'); [002]: tele-rotations are weak.
    Twelve weeks of research and eight of Zoom used to read as '[ok] 3+ months, hands-on'."""
    profile = Profile.from_input({"specialty": "IM"})
    sites = [booked("research", 12), booked("tele_rotation", 8)]
    summary = summarise_usce(profile, sites, [], 225, TODAY, RULES)
    first = summary.advice[0]
    assert summary.weeks_secured == 0 and first.severity == "caution"
    assert "8 weeks of shadowing or tele-rotation (weak [002])" in first.message
    assert "12 weeks of research (not USCE [000])" in first.message


def test_the_220_229_row_needs_its_months_hands_on() -> None:
    """[000]: 220-229 needs 3+ months, hands-on. Twelve weeks of observership are not enough."""
    profile = Profile.from_input({"specialty": "IM"})
    observed = summarise_usce(profile, [booked("observership_inpatient", 12)], [], 224, TODAY, RULES)
    assert observed.weeks_secured == 12 and observed.advice[0].severity == "caution"
    assert "0 hands-on (this row needs the 12 weeks hands-on)" in observed.advice[0].message
    hands = summarise_usce(profile, [booked("externship", 12, hands_on=True)], [], 224, TODAY, RULES)
    assert hands.advice[0].severity == "ok"


def test_a_low_score_with_research_only_does_not_get_the_strong_usce_program_row() -> None:
    """[003]'s low-score-with-strong-USCE row reads qualifying weeks only."""
    profile = Profile.from_input({"specialty": "IM", "step2_status": "passed", "step2_score": 226})
    research = Snapshot(profile, sites=(booked("research", 24),))
    hands = Snapshot(profile, sites=(booked("externship", 16, hands_on=True),))
    assert build_overview(research, TODAY, RULES).programs_span != build_overview(hands, TODAY, RULES).programs_span


def test_im_subspecialty_rotations_count_as_internal_medicine_and_unknown_specialties_are_kept() -> None:
    """[002]: for IM, subspecialties such as cardiology, GI, pulmonology and ID are aligned."""
    profile = Profile.from_input({"specialty": "IM"})
    cardio = UsceSite.from_input({"name": "Heart Institute", "specialty": "Cardiology", "usce_type": "externship"})
    assert cardio.specialty == "cardiology"
    assert RULES["site_rubric"]["criteria"][2] in assess_site(cardio, profile, RULES).criteria_met
    icu = UsceSite.from_input({"name": "Mercy", "specialty": "MICU"})
    assert icu.specialty == "critical_care"
    odd = UsceSite.from_input({"name": "Burn unit", "specialty": "Burn surgery"})
    assert odd.specialty == "burn_surgery"  # kept, not refused
    psych = Profile.from_input({"specialty": "psychiatry"})
    assert RULES["site_rubric"]["criteria"][2] not in assess_site(cardio, psych, RULES).criteria_met
    summary = summarise_usce(profile, [booked("externship", 4, specialty="cardiology")], [], 236, TODAY, RULES)
    assert summary.weeks_in_specialty == 4


def test_program_counts_are_internal_medicine_data_and_230_to_234_shows_both_ranges() -> None:
    """[003]: 230-240 gives 80-120 (FAQ 4) and 220-234 gives 120-160 (strategy section)."""
    im = Profile.from_input({"specialty": "IM"})
    advice, span = programs_advice(232, "Step 2 CK", im, 0, RULES)
    assert span == (80, 160) and "80-120" in advice.message and "120-160" in advice.message
    assert advice.message.startswith("Internal medicine: apply to 80-160 programs")
    _, span = programs_advice(236, "Step 2 CK", im, 0, RULES)
    assert span == (80, 120)
    surgery = Profile.from_input({"specialty": "general surgery"})
    advice, span = programs_advice(240, "Step 2 CK", surgery, 0, RULES)
    assert "internal medicine only [003], none for general surgery" in advice.message and span == (0, None)


def test_neurology_and_anesthesiology_use_the_255_line_for_usce() -> None:
    """[000]: 245+ (core fields) or 255+ (neuro, anesthesia, etc.) is the 1-month row."""
    for specialty in ("neurology", "anesthesiology"):
        p = Profile.from_input({"specialty": specialty})
        assert summarise_usce(p, [], [], 250, TODAY, RULES).months_recommended == (2, 3)
        assert summarise_usce(p, [], [], 255, TODAY, RULES).months_recommended == (1, 3)
    assert summarise_usce(IM, [], [], 250, TODAY, RULES).months_recommended == (1, 3)


def test_outreach_nagging_stops_once_the_usce_the_band_needs_is_secured() -> None:
    profile = Profile.from_input({"specialty": "IM", "step2_status": "passed", "step2_score": 236})
    ideas = tuple(
        site(n, name=f"Idea {n}", has_residents=True, hands_on=True, letter_potential=True) for n in range(2, 8)
    )
    few = Snapshot(profile, sites=ideas)
    assert build_overview(few, TODAY, RULES).outreach is not None
    enough = Snapshot(profile, sites=(*ideas, booked("externship", 8, hands_on=True)))  # 2 months: the 230-244 row
    assert build_overview(enough, TODAY, RULES).outreach is None
