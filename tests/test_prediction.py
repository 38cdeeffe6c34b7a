"""The predicted score: per-source conversion, recency weights, a band never narrower than the
exam's own error, the chance of passing, disagreement between sources, and the JSON contract."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from imgtui.cli import main
from imgtui.core.decision import decide
from imgtui.core.prediction import predict
from imgtui.core.rules import default_rules
from imgtui.core.target import suggest_target
from imgtui.records import PracticeExam, Profile

RULES = default_rules()
TODAY = date(2026, 11, 22)


def exams(*rows: tuple[str, int, int]) -> list[PracticeExam]:
    """(form, days before TODAY, score)"""
    return [PracticeExam.from_input({"form": f, "taken": TODAY - timedelta(days=d), "score": s}) for f, d, s in rows]


def test_uwsa_reads_high_and_is_converted_by_its_source() -> None:
    """nbmecalc: UWSA 1 over-predicts by 8-12, UWSA 2 by 5-8 (middle used: 10 and 6)."""
    p = predict(exams(("UWSA 2", 1, 250)), TODAY, None, RULES)
    assert p is not None and p.center == 244 and p.by_source[0].offset == -6
    p = predict(exams(("UWSA 1", 1, 250)), TODAY, None, RULES)
    assert p is not None and p.center == 240


def test_recent_scores_weigh_more() -> None:
    old_low = predict(exams(("NBME 10", 42, 220), ("NBME 12", 0, 240)), TODAY, None, RULES)
    assert old_low is not None and old_low.center > 230  # 42 days = two half-lives: the new score dominates
    assert {s.source: s.weight for s in old_low.by_source} == {"NBME": 1.0}


def test_the_band_is_never_narrower_than_the_exams_own_error_and_stays_on_the_scale() -> None:
    sem = RULES["measurement_error"]["points"]
    for rows in ((("NBME 12", 1, 240),), (("NBME 11", 8, 240), ("NBME 12", 1, 240), ("UWSA 2", 2, 246))):
        p = predict(exams(*rows), TODAY, None, RULES)
        assert p is not None and p.high - p.center >= sem and p.center - p.low >= sem
    top = predict(exams(("NBME 12", 1, 299), ("NBME 13", 0, 300)), TODAY, None, RULES)
    assert top is not None and top.high <= 300 and top.center <= 300


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["NBME 11", "UWSA 1", "UWSA 2", "AMBOSS SA"]), st.integers(0, 120), st.integers(150, 290)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_chance_of_passing_is_a_probability_and_rises_with_the_scores(rows) -> None:
    p = predict(exams(*rows), TODAY, None, RULES)
    higher = predict(exams(*[(f, d, min(300, s + 20)) for f, d, s in rows]), TODAY, None, RULES)
    assert p is not None and higher is not None
    assert 0 <= p.pass_probability <= 1 and higher.pass_probability >= p.pass_probability
    assert 1 <= p.low <= p.center <= p.high <= 300


def test_sources_that_disagree_get_a_line() -> None:
    p = predict(exams(("NBME 12", 3, 225), ("UWSA 2", 1, 258)), TODAY, None, RULES)
    assert p is not None and p.disagreement is not None and "trust the lower" in p.disagreement


def test_after_the_exam_each_source_is_shown_against_the_real_score() -> None:
    profile = Profile.from_input(
        {"specialty": "IM", "step2_status": "passed", "step2_score": 241, "exam_date": "2026-11-20"}
    )
    ex = exams(("NBME 12", 10, 236), ("UWSA 2", 5, 252))
    d = decide(profile, ex, [], TODAY, suggest_target(profile, TODAY, RULES), RULES)
    line = next(r for r in d.reasons if r.rule == "prediction")
    assert (
        "Your real 241" in line.message
        and "NBME read 236 (+5)" in line.message
        and "UWSA 2 read 246 (-5)" in line.message
    )


def test_decision_json_gains_the_prediction_the_chance_of_passing_and_what_turns_it_to_go(
    capsys, demo_path: Path
) -> None:
    assert main(["decision", "--json", "--date", "2026-11-23", "--db", str(demo_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert 0 <= data["pass_probability"] <= 1
    prediction = data["prediction"]
    assert prediction["low"] <= prediction["center"] <= prediction["high"]
    assert prediction["by_source"][0].keys() == {"source", "scores", "offset", "weight"}
    assert data["verdict"] != "GO" and data["to_go"]
    assert all(step.keys() == {"rule", "message", "by"} for step in data["to_go"])
    assert any(step["rule"] == "full_length" and step["by"] == "2027-01-13" for step in data["to_go"])
    # the rest of the contract is unchanged
    assert {"date", "verdict", "target_score", "reasons", "projection", "suggested_exam_date"} <= data.keys()


def test_go_has_nothing_left_to_do() -> None:
    profile = Profile.from_input(
        {"specialty": "IM", "program_tier": "community", "exam_date": "2027-01-10", "eras_year": 2027}
    )
    from imgtui.records import QbankDay

    qb = [
        QbankDay.from_input({"day": TODAY - timedelta(days=i), "done": 100, "correct": 70, "mode": "timed"})
        for i in range(10)
    ]
    ex = exams(("NBME 11", 20, 236), ("UWSA 1", 3, 246), ("NBME 12", 1, 240))
    d = decide(profile, ex, qb, TODAY, suggest_target(profile, TODAY, RULES), RULES)
    assert d.verdict == "GO" and d.to_go == ()


def test_a_form_taken_twice_is_noted_and_a_late_release_is_said() -> None:
    profile = Profile.from_input(
        {"specialty": "IM", "program_tier": "community", "exam_date": "2027-07-20", "eras_year": 2027}
    )
    ex = exams(("NBME 11", 30, 230), ("NBME 11", 2, 241))
    d = decide(profile, ex, [], TODAY, suggest_target(profile, TODAY, RULES), RULES)
    said = " | ".join(r.message for r in d.reasons)
    assert "NBME 11 logged 2 times: a form taken again reads high" in said and "imgtui's own note" in said
    # results around 2027-08-17 are less than 8 weeks before ERAS opens on 2027-09-01
    assert "less than 8 weeks before ERAS opens on 2027-09-01 (imgtui's own safe margin)" in said
