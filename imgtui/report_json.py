"""The JSON the reports print (today, decision, advice): one shape each, kept stable for
scripts that read them."""

from __future__ import annotations

from typing import Any

from .core.outreach import response_rates
from .core.overview import Overview
from .core.rules import Rules


def today_json(ov: Overview) -> dict[str, Any]:
    phase = ov.plan.phase_on(ov.today) if ov.plan else None
    return {
        "date": ov.today,
        "phase": phase.name if phase else None,
        "question_target": ov.catchup.today_target if ov.catchup else None,
        "verdict": ov.decision.verdict,
        "items": [item.to_json() for item in ov.items],
    }


def decision_json(ov: Overview) -> dict[str, Any]:
    dec = ov.decision
    projection = None
    if dec.projection is not None:
        center, half = dec.projection.at_exam()
        projection = {
            "exam_date": dec.projection.exam,
            "score": round(center),
            "band": round(half),
            "low": round(center - half),
            "high": round(center + half),
            "slope_per_week": None
            if dec.projection.slope_per_week is None
            else round(dec.projection.slope_per_week, 2),
            "scores": len(dec.projection.points),
            "reaches_target_on": None if ov.target.score is None else dec.projection.reaches(ov.target.score, ov.today),
        }
    prediction = None
    if dec.prediction is not None:
        p = dec.prediction
        prediction = {
            "center": p.center,
            "low": p.low,
            "high": p.high,
            "by_source": [
                {"source": s.source, "scores": list(s.scores), "offset": s.offset, "weight": s.weight}
                for s in p.by_source
            ],
        }
    return {
        "date": ov.today,
        "verdict": dec.verdict,
        "target_score": ov.target.score,
        "reasons": [r.to_json() for r in dec.reasons],
        "projection": projection,
        "pass_probability": dec.prediction.pass_probability if dec.prediction else None,
        "prediction": prediction,
        "to_go": [{"rule": t.rule, "message": t.message, "by": t.by} for t in dec.to_go],
        "suggested_exam_date": dec.suggested_exam_date,
        "eras_safe_date": dec.eras_safe_date,
        "options": list(dec.options),
    }


def advice_json(ov: Overview, rules: Rules) -> dict[str, Any]:
    target = ov.target
    usce = ov.usce
    rates = response_rates(ov.snapshot.sites, ov.snapshot.inquiries)
    return {
        "date": ov.today,
        "target_score": {
            "value": target.score,
            "suggested": target.suggested,
            "overridden": target.overridden,
            "range": None if target.low is None else [target.low, target.high],
            "band": ov.band.numbers.get("band") if ov.band else None,
            "pass_mark": rules["pass_mark"]["score"],
            "rules": [r.to_json() for r in target.reasons] + ([ov.band.to_json()] if ov.band else []),
        },
        "usce_months": {
            "min": usce.months_recommended[0],
            "max": usce.months_recommended[1],
            "weeks_secured": usce.weeks_secured,
            "weeks_in_specialty": usce.weeks_in_specialty,
            "weeks_hands_on": usce.weeks_hands_on,
            "cost_secured": usce.cost_secured,
            "rule": usce.advice[0].to_json(),
        },
        "letters": {
            "needed": usce.letters_needed,
            "us_in_specialty": usce.letters_in_specialty,
            "total": usce.letters_total,
            "rule": next(a.to_json() for a in usce.advice if a.rule == "letters"),
        },
        "usce_warnings": [a.to_json() for a in usce.advice[1:] if a.rule != "letters"],
        "outreach": ov.outreach.to_json() if ov.outreach else None,
        "outreach_tasks": [
            {"due": t.due, "group": t.group(ov.today), "kind": t.kind, "text": t.text, "site_id": t.site_id}
            for t in ov.tasks
        ],
        "response_rates": {
            "by_template": [r.__dict__ for r in rates[0]],
            "by_site_type": [r.__dict__ for r in rates[1]],
        },
        "programs": {
            "min": ov.programs_span[0],
            "max": ov.programs_span[1],
            "score_used": ov.ranking_score,
            "score_source": ov.ranking_source,
            "rule": ov.programs.to_json(),
        },
        "plan_notes": [n.to_json() for n in ov.plan.notes] if ov.plan else [],
        "program_list": ov.program_list.to_json() if ov.program_list else None,
        "costs": costs_json(ov),
    }


def costs_json(ov: Overview) -> dict[str, Any]:
    rotations, applying = ov.rotation_costs, ov.application_cost
    assert rotations is not None and applying is not None
    return {
        "usce_secured": rotations.secured,
        "usce_planned": rotations.planned,
        "usce_per_week": rotations.per_week,
        "usce_per_letter": rotations.per_letter,
        "usce_fee_only": list(rotations.fee_only),
        "application": {
            "total": applying.total,
            "eras": applying.eras,
            "ecfmg_token": applying.token,
            "usmle_transcript": applying.transcript,
            "nrmp": applying.nrmp,
            "exams": applying.exams,
        },
        "budget": rotations.budget,
    }
