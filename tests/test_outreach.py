"""Outreach: the cadence, snoozes and retired sites, documents, reminders, templates and
drafts, and the draft / templates / remind commands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from imgtui.cli import main
from imgtui.core.outreach import outreach_tasks, rates_line, response_rates, suggested_template
from imgtui.core.overview import Snapshot, build_overview
from imgtui.core.remind import reminders, window_days
from imgtui.core.rules import default_rules
from imgtui.drafts import PLACEHOLDERS, TemplateError, load_templates, parse_template, render
from imgtui.planner import Planner
from imgtui.records import Inquiry, Letter, Profile, SiteDocument, UsceSite, ValidationErrors, choice_label
from imgtui.store import Store

RULES = default_rules()
TODAY = date(2026, 11, 22)
ME = Profile.from_input(
    {
        "specialty": "IM",
        "graduation_year": 2023,
        "eras_year": 2027,
        "step1_status": "pass",
        "exam_date": "2027-02-05",
        "visa": "j1",
        "full_name": "Priya Raman",
        "email": "priya@example.org",
        "phone": "+91 98 7654 3210",
        "medical_school": "Madras Medical College",
    }
)


def site(doc_id: int = 1, **values) -> UsceSite:
    return UsceSite.from_input({"name": f"Site {doc_id}", **values}).replace(doc_id=doc_id)


def inquiry(doc_id: int, site_id: int, sent: date, **values) -> Inquiry:
    return Inquiry.from_input({"site_id": site_id, "sent": sent, **values}).replace(doc_id=doc_id)


def tasks(sites, inquiries=(), letters=(), documents=(), today=TODAY, profile=ME):
    return outreach_tasks(sites, inquiries, letters, documents, profile, today, RULES)


# ---------------------------------------------------------------- cadence


def test_an_unanswered_inquiry_is_due_a_follow_up_after_the_cadence_and_overdue_after() -> None:
    days = ME.follow_up_days
    sent = TODAY - timedelta(days=days)
    s = site(1, status="contacted")
    [task] = tasks([s], [inquiry(1, 1, sent, contact="Dr. Patel")])
    assert (task.kind, task.due, task.template) == ("follow_up", TODAY, "follow-up-1")
    assert task.group(TODAY) == "today" and task.group(TODAY - timedelta(days=1)) == "waiting"
    assert task.group(TODAY + timedelta(days=1)) == "overdue"
    assert "Dr. Patel at Site 1" in task.text and "no follow-up yet" in task.text


def test_the_second_follow_up_uses_the_second_template_and_then_the_site_is_to_retire() -> None:
    s = site(1, status="contacted")
    once = inquiry(1, 1, date(2026, 11, 1), follow_ups=1, last_follow_up=date(2026, 11, 9))
    [task] = tasks([s], [once])
    assert task.template == "follow-up-2" and task.due == date(2026, 11, 16)
    limit = RULES["inquiries"]["not_responding_after_follow_ups"]
    silent = inquiry(1, 1, date(2026, 11, 1), follow_ups=limit, last_follow_up=date(2026, 11, 9))
    [task] = tasks([s], [silent])
    assert task.kind == "not_responding" and "retire the site" in task.text


def test_a_snooze_moves_the_follow_up_to_its_day_and_is_said() -> None:
    s = site(1, status="contacted")
    snoozed = inquiry(1, 1, date(2026, 11, 1), snoozed_until=date(2026, 11, 30), snooze_reason="coordinator on leave")
    [task] = tasks([s], [snoozed])
    assert task.due == date(2026, 11, 30) and task.snoozed == "coordinator on leave"
    assert task.group(TODAY) == "waiting" and task.group(date(2026, 11, 30)) == "today"
    # A snooze that ends before the cadence changes nothing.
    early = inquiry(1, 1, date(2026, 11, 20), snoozed_until=date(2026, 11, 21))
    [task] = tasks([s], [early])
    assert task.due == date(2026, 11, 27) and not task.snoozed


def test_a_reply_asking_for_documents_is_chased_on_its_own_cadence() -> None:
    s = site(1, status="replied")
    answered = inquiry(1, 1, date(2026, 11, 1), replied=date(2026, 11, 10))
    [task] = tasks([s], [answered])
    assert task.kind == "chase_reply" and task.due == date(2026, 11, 10) + timedelta(
        days=RULES["outreach_cadence"]["replied_days"]
    )
    applied = tasks([site(1, status="applied")], [answered])
    assert "application stands" in applied[0].text


def test_retired_sites_leave_the_work_list_and_stay_stored() -> None:
    sent = TODAY - timedelta(days=30)
    for status in ("not_responding", "declined", "rejected", "do_not_contact"):
        assert tasks([site(1, status=status)], [inquiry(1, 1, sent)]) == []
    assert tasks([site(1, status="contacted")], [inquiry(1, 1, sent)])


def test_a_booked_rotation_asks_for_the_attending_email_documents_and_the_letter() -> None:
    start = TODAY + timedelta(days=20)
    booked = site(1, status="booked", start=start, weeks=4)
    found = {t.kind: t for t in tasks([booked])}
    low = RULES["email_attending"]["days_before"][0]
    assert found["pre_rotation"].due == start - timedelta(days=low)
    assert found["pre_rotation"].template == "pre-rotation"
    before = RULES["site_documents"]["due_days_before_start"]
    assert found["documents"].due == start - timedelta(days=before)
    assert "7 documents to send" in found["documents"].text
    assert found["letter"].due == start + timedelta(days=20)
    # Sent e-mails and documents, and a letter logged, end those tasks.
    mail = inquiry(1, 1, TODAY, template="pre-rotation")
    docs = [SiteDocument(1, name, sent=TODAY) for name in RULES["site_documents"]["default"][:-1]]
    docs.append(SiteDocument(1, RULES["site_documents"]["default"][-1], needed=False))
    letter = Letter(writer="Dr. Ruiz", site_id=1)
    assert tasks([booked], [mail], [letter], docs) == []


def test_a_document_of_the_users_own_counts_until_sent() -> None:
    booked = site(1, status="booked", start=TODAY + timedelta(days=30), weeks=4)
    defaults = [SiteDocument(1, name, sent=TODAY) for name in RULES["site_documents"]["default"]]
    drug = SiteDocument(1, "Drug screen")
    [task] = [t for t in tasks([booked], (), (), [*defaults, drug]) if t.kind == "documents"]
    assert "1 document to send (Drug screen)" in task.text


def test_a_thank_you_is_due_after_the_rotation_and_drops_after_its_window() -> None:
    done = site(1, status="completed", start=TODAY - timedelta(days=30), weeks=4)
    end = done.end
    assert end is not None
    first, last = RULES["outreach_cadence"]["thank_you_within_days"]
    [task] = tasks([done], today=end + timedelta(days=1))
    assert task.kind == "thank_you" and task.due == end + timedelta(days=first)
    assert tasks([done], today=end + timedelta(days=last + 1)) == []
    assert tasks([done], [inquiry(1, 1, end, template="thank-you")], today=end + timedelta(days=2)) == []


def test_today_groups_outreach_overdue_first_then_today_then_waiting() -> None:
    sites = [site(n, status="contacted") for n in (1, 2, 3)]
    days = ME.follow_up_days
    inquiries = [
        inquiry(1, 1, TODAY - timedelta(days=days + 3)),  # overdue
        inquiry(2, 2, TODAY - timedelta(days=days)),  # due today
        inquiry(3, 3, TODAY - timedelta(days=1)),  # waiting
    ]
    ov = build_overview(Snapshot(ME, sites=tuple(sites), inquiries=tuple(inquiries)), TODAY, RULES)
    lines = [i.text for i in ov.items if i.pane == "usce" and i.kind != "outreach"]
    assert lines[0].startswith("Overdue: Follow up with Site 1")
    assert lines[1].startswith("Due today: Follow up with Site 2")
    assert lines[2].startswith("Waiting: 1 outreach task; next")


def test_today_shows_the_oldest_few_overdue_and_counts_the_rest() -> None:
    most = RULES["inquiries"]["today_lines_max"]
    sites = [site(n, status="contacted") for n in range(1, most + 8)]
    inquiries = [inquiry(n, n, TODAY - timedelta(days=30 + n)) for n in range(1, most + 8)]
    ov = build_overview(Snapshot(ME, sites=tuple(sites), inquiries=tuple(inquiries)), TODAY, RULES)
    shown = [i for i in ov.items if i.kind == "follow_up"]
    assert [i.record_id for i in shown] == list(range(most + 7, 7, -1))  # oldest due first
    [more] = [i for i in ov.items if i.kind == "more_usce"]
    assert "7 more overdue" in more.text


def test_the_template_follows_the_pipeline_state() -> None:
    assert suggested_template(site(1), [], TODAY) == "first-inquiry"
    open_one = inquiry(1, 1, TODAY)
    assert suggested_template(site(1, status="contacted"), [open_one], TODAY) == "follow-up-1"
    once = inquiry(1, 1, TODAY - timedelta(days=9), follow_ups=1, last_follow_up=TODAY)
    assert suggested_template(site(1, status="contacted"), [once], TODAY) == "follow-up-2"
    assert suggested_template(site(1, status="booked"), [], TODAY) == "pre-rotation"
    rotating = site(1, status="in_progress", start=TODAY - timedelta(days=10), weeks=4)
    assert suggested_template(rotating, [], TODAY) == "letter-request"
    assert suggested_template(site(1, status="completed"), [], TODAY) == "thank-you"


def test_response_rates_per_template_and_per_site_type() -> None:
    sites = [site(1, usce_type="externship"), site(2, usce_type="observership_inpatient")]
    inquiries = [
        inquiry(1, 1, TODAY, template="first-inquiry", replied=TODAY),
        inquiry(2, 2, TODAY, template="first-inquiry"),
        inquiry(3, 2, TODAY, template="cold-attending", replied=TODAY),
        inquiry(4, 1, TODAY, template="pre-rotation"),  # not a request: not counted
    ]
    by_template, by_type = response_rates(sites, inquiries)
    assert [(r.what, r.sent, r.replied) for r in by_template] == [("first-inquiry", 2, 1), ("cold-attending", 1, 1)]
    assert by_template[0].text == "first-inquiry 1/2 (50%)"
    assert {r.what: (r.sent, r.replied) for r in by_type} == {
        choice_label("externship"): (1, 1),
        choice_label("observership_inpatient"): (2, 1),
    }
    line = rates_line(sites, inquiries) or ""
    assert line.startswith("Replies to first e-mails: first-inquiry 1/2 (50%)")
    assert rates_line(sites, []) is None


# ---------------------------------------------------------------- remind


def test_remind_lists_overdue_first_and_the_window_at_its_edges() -> None:
    sites = [site(n, status="contacted") for n in (1, 2, 3, 4)]
    days = ME.follow_up_days
    inquiries = [
        inquiry(1, 1, TODAY - timedelta(days=days + 1)),  # overdue
        inquiry(2, 2, TODAY - timedelta(days=days)),  # today
        inquiry(3, 3, TODAY - timedelta(days=days - 1)),  # tomorrow
        inquiry(4, 4, TODAY - timedelta(days=days - 2)),  # the day after
    ]
    ov = build_overview(Snapshot(ME, sites=tuple(sites), inquiries=tuple(inquiries)), TODAY, RULES)
    found = reminders(ov, 24, RULES)
    assert [t.site_id for t in found.overdue] == [1]
    assert [t.site_id for t in found.due] == [2, 3] and found.until == TODAY + timedelta(days=1)
    assert [t.site_id for t in reminders(ov, 0, RULES).due] == [2]
    assert [t.site_id for t in reminders(ov, 25, RULES).due] == [2, 3, 4]
    assert (window_days(0), window_days(1), window_days(24), window_days(48)) == (0, 1, 1, 2)


def test_remind_includes_checkpoints_and_the_exam() -> None:
    profile = ME.replace(study_start=date(2026, 10, 1), exam_date=TODAY + timedelta(days=3))
    ov = build_overview(Snapshot(profile), TODAY, RULES)
    found = reminders(ov, 24 * 7, RULES)
    assert any(t.kind == "exam" and t.due == profile.exam_date for t in found.due)
    assert any(t.kind == "checkpoint" for t in (*found.overdue, *found.due))


# ---------------------------------------------------------------- templates and drafts


def test_every_shipped_template_renders_with_every_placeholder_filled() -> None:
    templates = load_templates(Path("/nonexistent"))
    assert set(templates) >= {
        "first-inquiry",
        "cold-attending",
        "follow-up-1",
        "follow-up-2",
        "pre-rotation",
        "letter-request",
        "thank-you",
    }
    s = site(1, name="Mercy Teaching Hospital", usce_type="externship", start="2027-03-01", weeks=4)
    first = inquiry(1, 1, TODAY, contact="Dr. Ruiz", subject="Externship inquiry")
    for template in templates.values():
        assert set(template.placeholders()) <= set(PLACEHOLDERS), template.name
        draft = render(template, ME, s, first)
        assert draft.missing == () and "[[" not in draft.body + draft.subject, template.name
        assert "{" not in draft.body and "Priya Raman" in draft.body
    draft = render(templates["first-inquiry"], ME, s, None, "Dr. Ruiz")
    assert draft.subject.startswith("Inquiry about an externship in internal medicine: Priya Raman")
    assert "March 1, 2027 to March 28, 2027" in draft.body and "J-1" in draft.body


def test_a_placeholder_without_a_value_is_marked_and_names_the_field_to_fill() -> None:
    template = load_templates(Path("/nonexistent"))["first-inquiry"]
    draft = render(template, Profile(), site(1), None, None)
    missing = {m.placeholder: m.where for m in draft.missing}
    assert missing["my_name"] == "Profile > Your name"
    assert missing["contact_name"].startswith("the contact")
    assert missing["dates_wanted"] == "the site's Start and Weeks"
    assert "[[my_name]]" in draft.body and "{" not in draft.body
    assert "no value for {" in (draft.problem() or "")


def test_a_users_copy_overrides_a_template_and_bad_ones_are_refused(tmp_path: Path) -> None:
    (tmp_path / "first-inquiry.txt").write_text("Purpose: mine\nSubject: Hi {site_name}\n\nHello {nope.attr} {0}\n")
    (tmp_path / "extra.txt").write_text("Subject: Extra\n\nBody\n")
    templates = load_templates(tmp_path)
    mine = templates["first-inquiry"]
    assert mine.overridden and mine.purpose == "mine" and "extra" in templates
    draft = render(mine, ME, site(1, name="Mercy"), None, None)
    assert draft.subject == "Hi Mercy"
    assert {m.placeholder for m in draft.missing} == {"nope.attr", "0"}  # never an attribute look-up
    with pytest.raises(TemplateError, match="Subject"):
        parse_template("bad", "no header here", tmp_path / "bad.txt")
    with pytest.raises(TemplateError, match="brace"):
        parse_template("bad", "Subject: x\n\nan { unclosed", tmp_path / "bad.txt")


def test_text_from_the_records_reaches_a_draft_without_control_sequences() -> None:
    template = load_templates(Path("/nonexistent"))["first-inquiry"]
    evil = site(1, name="Mercy\x1b]52;c;ZXZpbA==\x07 Hospital", start="2027-03-01", weeks=4)
    draft = render(template, ME, evil, None, "Dr.\x1b[31m Ruiz")
    assert "\x1b" not in draft.body + draft.subject and "\x07" not in draft.body
    assert "Mercy Hospital" in draft.body.replace("  ", " ")


def test_eml_and_mailto_carry_the_draft() -> None:
    template = load_templates(Path("/nonexistent"))["follow-up-1"]
    s = site(1, name="Mercy & Sons", contact_email="office@mercy.example.org", start="2027-03-01", weeks=4)
    draft = render(template, ME, s, inquiry(1, 1, TODAY, contact="Dr. Ruiz", subject="Externship? yes & no"))
    url = draft.mailto()
    assert url.startswith("mailto:office@mercy.example.org?subject=Re%3A%20Externship%3F%20yes%20%26%20no&body=")
    import email

    message = email.message_from_bytes(draft.eml())
    assert message["To"] == "office@mercy.example.org" and message["X-Unsent"] == "1"
    assert "Dr. Ruiz" in message.get_payload(decode=True).decode()


# ---------------------------------------------------------------- use cases


@pytest.fixture
def planner(tmp_path: Path) -> Planner:
    store = Store(tmp_path / "db.json")
    store.update_profile({k: ME.display(k) for k in ("full_name", "email", "phone", "medical_school")})
    store.update_profile(
        {"graduation_year": 2023, "eras_year": 2027, "step1_status": "pass", "exam_date": "2027-02-05"}
    )
    return Planner(store, RULES, TODAY)


def test_marking_a_first_email_sent_logs_the_inquiry_with_its_template(planner: Planner) -> None:
    s = planner.add_site(UsceSite.from_input({"name": "Mercy", "start": "2027-03-01", "weeks": 4})).record
    draft = planner.draft("first-inquiry", s.doc_id, contact="Dr. Ruiz")
    assert draft.missing == ()
    saved = planner.mark_sent(draft)
    [stored] = planner.store.inquiries()
    assert stored.template == "first-inquiry" and stored.contact == "Dr. Ruiz" and stored.subject == draft.subject
    assert planner.site(s.doc_id).status == "contacted" and "Logged first-inquiry" in saved.message
    # A week later the follow-up quotes it, and marking it sent counts a follow-up.
    later = Planner(planner.store, RULES, TODAY + timedelta(days=7))
    assert later.suggested_template(s.doc_id) == "follow-up-1"
    follow = later.draft("follow-up-1", s.doc_id)
    assert follow.subject == f"Re: {draft.subject}" and follow.inquiry_id == stored.doc_id
    later.mark_sent(follow)
    [stored] = later.store.inquiries()
    assert (stored.follow_ups, stored.last_follow_up) == (1, TODAY + timedelta(days=7))


def test_a_letter_request_sent_adds_the_letter(planner: Planner) -> None:
    s = planner.add_site(UsceSite.from_input({"name": "Mercy", "status": "in_progress"})).record
    planner.mark_sent(planner.draft("letter-request", s.doc_id, contact="Dr. Ruiz"))
    [letter] = planner.store.letters()
    assert (letter.writer, letter.site_id, letter.asked) == ("Dr. Ruiz", s.doc_id, TODAY)


def test_snooze_retire_and_documents_as_use_cases(planner: Planner) -> None:
    s = planner.add_site(UsceSite.from_input({"name": "Mercy"})).record
    planner.log_inquiry(Inquiry.from_input({"site_id": s.doc_id, "sent": TODAY}))
    [i] = planner.store.inquiries()
    with pytest.raises(ValidationErrors, match="not after today"):
        planner.snooze(i.doc_id, TODAY, "x")
    planner.snooze(i.doc_id, TODAY + timedelta(days=20), "on leave\x1b[2J")
    [i] = planner.store.inquiries()
    assert i.snoozed_until == TODAY + timedelta(days=20) and i.snooze_reason == "on leave"
    planner.follow_up(i.doc_id)  # a follow-up sent ends the snooze
    assert planner.store.inquiries()[0].snoozed_until is None
    with pytest.raises(ValidationErrors, match="one of"):
        planner.retire(s.doc_id, "bored")
    planner.retire(s.doc_id, "do-not-contact")
    assert planner.site(s.doc_id).status == "do_not_contact" and planner.store.inquiries()
    items = planner.documents(s.doc_id)
    assert [d.name for d in items] == RULES["site_documents"]["default"] and all(d.doc_id is None for d in items)
    planner.mark_document(items[0], "sent")
    planner.add_document(s.doc_id, "Drug screen")
    with pytest.raises(ValidationErrors, match="already"):
        planner.add_document(s.doc_id, "drug SCREEN")
    items = planner.documents(s.doc_id)
    assert items[0].sent == TODAY and items[-1].name == "Drug screen"
    planner.mark_document(items[0], "sent")  # again: not sent after all
    assert planner.documents(s.doc_id)[0].sent is None
    planner.delete("sites", s.doc_id)
    assert planner.store.documents() == []


def test_find_site_by_number_name_or_unique_part(planner: Planner) -> None:
    a = planner.add_site(UsceSite.from_input({"name": "Mercy Teaching Hospital"})).record
    planner.add_site(UsceSite.from_input({"name": "Mercy Clinic"}))
    assert planner.find_site(f"#{a.doc_id}").doc_id == a.doc_id
    assert planner.find_site("mercy teaching").doc_id == a.doc_id
    with pytest.raises(ValidationErrors, match="matches 2 sites"):
        planner.find_site("mercy")
    with pytest.raises(ValidationErrors, match="no site named"):
        planner.find_site("nowhere")


def test_the_calendar_file_is_rewritten_after_every_change_with_alarms(planner: Planner, tmp_path: Path) -> None:
    target = tmp_path / "sync" / "imgtui.ics"
    target.parent.mkdir()
    planner.update_profile({"calendar_file": str(target)})
    s = planner.add_site(UsceSite.from_input({"name": "Mercy", "status": "booked", "start": "2027-03-01", "weeks": 4}))
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert any("Mercy" in str(e["SUMMARY"]) for e in events)
    assert all(len(list(e.walk("VALARM"))) == 1 for e in events)
    uids = {str(e["UID"]) for e in events}
    planner.store.save(s.record.replace(notes="x"))
    again = {str(e["UID"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert again == uids  # stable
    triggers = {str(e["UID"]).split("-")[0]: a["TRIGGER"].dt for e in events for a in e.walk("VALARM")}
    assert triggers["rotation"] == -timedelta(days=7)
    # A calendar file that cannot be written is said, and the change is kept.
    planner.update_profile({"calendar_file": str(tmp_path / "missing-folder" / "x.ics")})
    planner.store.save(s.record.replace(notes="y"))
    assert "not rewritten" in (planner.calendar_problem or "")
    assert planner.site(s.record.doc_id).notes == "y"
    # A file imgtui did not write is never overwritten, and only a full path to an .ics is taken.
    theirs = tmp_path / "theirs.ics"
    theirs.write_text("BEGIN:VCALENDAR\nPRODID:-//someone else//EN\n")
    planner.update_profile({"calendar_file": str(theirs)})
    assert theirs.read_text().startswith("BEGIN:VCALENDAR\nPRODID:-//someone else")
    assert "not a calendar imgtui wrote" in (planner.calendar_problem or "")
    for bad in ("nan", "imgtui.ics", "~/.bashrc", "/tmp/notes.txt"):
        with pytest.raises(ValidationErrors, match=r"full path to an \.ics file"):
            planner.update_profile({"calendar_file": bad})


# ---------------------------------------------------------------- command line


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_draft_and_templates_commands(capsys, demo_path: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "templates", "--db", str(demo_path), "--json")
    rows = json.loads(out)
    assert code == 0 and {r["name"] for r in rows} >= {"first-inquiry", "thank-you"}
    assert "my_name" in next(r for r in rows if r["name"] == "first-inquiry")["placeholders"]
    code, out, err = run(capsys, "draft", "first-inquiry", "Mercy", "--contact", "Dr. Ruiz", "--db", str(demo_path))
    assert code == 0 and out.startswith("To: ") and "Dear Dr. Ruiz," in out, err
    eml = tmp_path / "mercy.eml"
    code, out, _ = run(
        capsys, "draft", "first-inquiry", "Mercy", "--contact", "Dr. Ruiz", "--out", str(eml), "--db", str(demo_path)
    )
    assert code == 0 and b"X-Unsent: 1" in eml.read_bytes() and oct(eml.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["draft", "nope", "Mercy"], "no template 'nope'"),
        (["draft", "first-inquiry", "Nowhere"], "no site named 'Nowhere'"),
        (["draft", "first-inquiry", "ClinicalPath"], "{contact_name}: fill in the contact"),
        (["remind", "--within", "soon"], "is not a window"),
    ],
)
def test_outreach_commands_refuse_bad_input_in_one_line(capsys, demo_path: Path, tmp_path: Path, argv, says) -> None:
    out_file = tmp_path / "never.txt"
    before = demo_path.read_bytes()
    extra = ["--out", str(out_file)] if argv[0] == "draft" else []
    code, out, err = run(capsys, *argv, *extra, "--db", str(demo_path))
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1 and out == ""
    assert not out_file.exists() and demo_path.read_bytes() == before


def test_remind_command_prints_overdue_first_and_json(capsys, demo_path: Path) -> None:
    code, out, _ = run(capsys, "remind", "--db", str(demo_path), "--within", "2d")
    lines = out.splitlines()
    assert code == 0 and lines and lines[0].startswith("OVERDUE")
    kinds = [line.split()[0] for line in lines]
    assert kinds == sorted(kinds, key=lambda k: k != "OVERDUE")  # overdue first
    code, out, _ = run(capsys, "remind", "--db", str(demo_path), "--json")
    data = json.loads(out)
    assert set(data) == {"as_of", "until", "overdue", "due"} and data["overdue"]
    code, out, _ = run(capsys, "remind", "--db", str(demo_path), "--date", "2020-01-01", "--quiet")
    assert code == 0


def test_a_reply_says_yes_no_or_needs_documents_and_moves_the_site(planner: Planner) -> None:
    for gist, status in (("yes", "accepted"), ("no", "declined"), ("needs documents", "replied"), (None, "replied")):
        s = planner.add_site(UsceSite.from_input({"name": f"Site {gist}"})).record
        planner.log_inquiry(Inquiry.from_input({"site_id": s.doc_id, "sent": TODAY - timedelta(days=3)}))
        inquiry = planner.store.inquiries(s.doc_id)[0]
        saved = planner.mark_reply(inquiry.doc_id, gist=gist)
        assert planner.site(s.doc_id).status == status, gist
        assert planner.store.inquiries(s.doc_id)[0].replied == TODAY
        if gist == "yes":
            assert "is now accepted" in saved.message
    with pytest.raises(ValidationErrors, match="reply_gist"):
        s = planner.add_site(UsceSite.from_input({"name": "Bad gist"})).record
        planner.log_inquiry(Inquiry.from_input({"site_id": s.doc_id, "sent": TODAY}))
        planner.mark_reply(planner.store.inquiries(s.doc_id)[0].doc_id, gist="perhaps")
