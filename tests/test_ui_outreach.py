"""Pilot tests of outreach: draft, copy, open in mail and log an e-mail; keep a site's
documents; snooze a follow-up; retire a site. Keys only, then the store is checked."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from imgtui.records import UsceSite
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.screens.outreach import ChoiceScreen, DocumentsScreen, DraftScreen
from imgtui.ui.widgets.sheet import Sheet

from .conftest import DEMO_DAY, started


def make_app(store: Store) -> ImgtuiApp:
    return ImgtuiApp(store, today=DEMO_DAY, poll_seconds=0)


async def open_site(pilot, store: Store, name: str) -> UsceSite:
    await pilot.press("4")
    await pilot.pause()
    site = next(s for s in store.sites() if s.name == name)
    pilot.app.pane_screen.query_one("#sites", Sheet).select_key(str(site.doc_id))
    await pilot.pause()
    return site


async def test_draft_copy_mail_and_log_a_first_inquiry(demo_store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IMGTUI_CONFIG", str(tmp_path / "config"))
    app = make_app(demo_store)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with started(app, (80, 24)) as pilot:
        site = await open_site(pilot, demo_store, "Metro General Hospital")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen) and screen.draft.template == "first-inquiry"
        # No contact yet: the draft marks it and says where to fill it in; copying is refused.
        assert "[[contact_name]]" in screen.query_one("#draft-body", TextArea).text
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.clipboard == ""
        status = str(screen.query_one("#draft-status").render())
        assert "[[contact_name]]" in status and "the contact" in status
        # Type the name in place of the mark, then copy and open in the mail program.
        assert {m.placeholder for m in screen.draft.missing} == {"contact_name", "dates_wanted"}
        body = screen.query_one("#draft-body", TextArea)
        body.text = body.text.replace("[[contact_name]]", "Dr. Khan").replace("[[dates_wanted]]", "in March 2027")
        subject = screen.query_one("#draft-subject", Input)
        subject.value = subject.value.replace("[[dates_wanted]]", "March 2027")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.clipboard.startswith("Dear Dr. Khan,")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened and opened[0].startswith("mailto:") and "Dear%20Dr.%20Khan" in opened[0]
        # Save it as a .eml file.
        await pilot.press("ctrl+r")
        await pilot.pause()
        box = screen.query_one("#draft-file", Input)
        box.value = str(tmp_path / "metro.eml")
        await pilot.press("enter")
        await pilot.pause()
        assert b"X-Unsent: 1" in (tmp_path / "metro.eml").read_bytes()
        # Sent from the mail program: ctrl+s logs it, and the site is contacted.
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, DraftScreen)
        [inquiry] = demo_store.inquiries(site.doc_id)
        assert inquiry.template == "first-inquiry" and inquiry.subject.startswith("Inquiry about")
        assert inquiry.contact == "Dr. Khan"  # the name typed over the blank greeting
        assert demo_store.get(UsceSite, site.doc_id).status == "contacted"


async def test_documents_checklist_by_keys(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        site = await open_site(pilot, demo_store, "Mercy Teaching Hospital")
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        table = app.screen.query_one("#docs-table", DataTable)
        assert table.row_count == 7
        await pilot.press("down", "down", "space")  # ECFMG status report: sent today
        await pilot.pause()
        await pilot.press("down", "n")  # Immunisation records: not needed here
        await pilot.press("a", *"Drug screen", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        docs = {d.name: d for d in demo_store.documents() if d.site_id == site.doc_id}
        assert docs["ECFMG status report"].sent is not None
        assert docs["Immunisation records"].needed is False
        assert "Drug screen" in docs


async def test_snooze_and_retire_by_keys(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, (100, 32)) as pilot:
        site = await open_site(pilot, demo_store, "Brookdale Cardiology Associates")
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2026-12-15", "tab", *"coordinator away", "enter")
        await pilot.pause()
        [inquiry] = demo_store.inquiries(site.doc_id)
        assert str(inquiry.snoozed_until) == "2026-12-15" and inquiry.snooze_reason == "coordinator away"
        assert not any("Brookdale" in i.text and i.text.startswith("Overdue") for i in app.overview.items)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert demo_store.get(UsceSite, site.doc_id).status == "do_not_contact"
        assert not any("Brookdale" in i.text for i in app.overview.items)


async def test_fill_in_from_the_draft_fills_the_profile_and_site_and_keeps_what_was_typed(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("IMGTUI_CONFIG", str(tmp_path / "config"))
    store = Store(tmp_path / "new.json")
    store.update_profile({"step1_status": "pass", "graduation_year": 2023, "eras_year": 2027})
    store.save(UsceSite.from_input({"name": "Mercy Hospital"}))
    app = make_app(store)
    async with started(app, (80, 24)) as pilot:
        await open_site(pilot, store, "Mercy Hospital")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen)
        assert "Profile: Your name" in str(screen.query_one("#draft-status").render())
        body = screen.query_one("#draft-body", TextArea)
        body.text = body.text.replace("[[contact_name]]", "Dr. Ruiz") + "\nPS: typed by me\n"
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"Priya Raman", "tab", *"Madras Medical College", "tab", *"2027-02-05", "tab")
        await pilot.press(*"priya@example.org", "tab", *"+91 98765 43210", "ctrl+s")
        await pilot.pause()
        await pilot.press(*"2027-03-01", "tab", "4", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert str(screen.query_one("#draft-status").render()).startswith("Ready")
        text = screen.query_one("#draft-body", TextArea).text
        assert "Dear Dr. Ruiz" in text and "PS: typed by me" in text and "[[" not in text
        assert "Priya Raman" in text and "March 1, 2027 to March 28, 2027" in text
        assert store.profile().full_name == "Priya Raman" and store.sites()[0].weeks == 4


async def test_the_site_detail_tells_the_whole_story_and_leads_on(demo_store: Store) -> None:
    from imgtui.ui.screens.forms import RecordForm
    from imgtui.ui.screens.site_detail import SiteDetailScreen

    demo_store.save(UsceSite.from_input({"name": "Unknown Clinic", "city": "Austin, TX"}))
    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        await open_site(pilot, demo_store, "Unknown Clinic")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, SiteDetailScreen)
        story = app.screen.story.plain
        assert "Rubric 1/5" in story and "unknown  hands-on: fill it in (e)" in story
        assert "Residents: ?" in story and "E-mails (0)" in story
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and "has_residents" in app.screen.fields


async def test_the_outreach_list_goes_to_the_site_of_a_task(demo_store: Store) -> None:
    from imgtui.ui.screens.site_detail import OutreachListScreen

    app = make_app(demo_store)
    async with started(app, (100, 32)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutreachListScreen)
        assert "Replies to first e-mails: " in app.screen.today_text  # the reply rates, per template and type
        overdue = [t for t in app.overview.tasks if t.due < app.overview.today]
        assert overdue
        await pilot.press("enter")  # the first overdue task (its heading cannot be chosen)
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, OutreachListScreen)
        assert app.pane_screen.query_one("#sites", Sheet).current_key == str(overdue[0].site_id)


async def test_why_shows_a_today_line_rule_in_full_with_its_sources(demo_store: Store) -> None:
    from textual.widgets import OptionList

    from imgtui.ui.screens.forms import NoticeScreen
    from imgtui.ui.screens.help import HelpScreen

    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        items = app.overview.items
        index = next(i for i, item in enumerate(items) if item.rule == "checkpoints")
        app.pane_screen.query_one("#today-list", OptionList).highlighted = index
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        message = app.screen.message
        assert message.startswith(app.rules["checkpoints"].title) and "Sources:" in message
        assert "[001]" in message and "IMG Residency Guide" in message
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _ in app.screen.sections]
        assert "What the words mean" in titles and "Program list" in titles


async def test_a_first_start_shows_a_checklist_whose_lines_lead_to_each_pane(tmp_path: Path) -> None:
    from imgtui.ui.widgets.today import TodayPane

    store = Store(tmp_path / "new.json")
    app = make_app(store)
    async with started(app, (80, 24)) as pilot:
        kinds = [item.kind for item in app.overview.items]
        assert kinds[:5] == ["start", "start_profile", "start_exam", "start_sites", "start_programs"]
        for index, pane, focused in ((3, "usce", "sites"), (4, "programs", "program-sheet"), (2, "schedule", "exams")):
            today = app.get_screen("today").query_one(TodayPane)
            today.post_message(TodayPane.Goto(today.items[index]))  # as Enter on that line does
            await pilot.pause()
            await pilot.pause()
            assert app.active_pane == pane and app.focused is not None and app.focused.id == focused
        # Once something is logged, the checklist goes.
        store.save(UsceSite.from_input({"name": "Mercy"}))
        app.refresh_data()
        await pilot.pause()
        assert "start" not in [item.kind for item in app.overview.items]


async def test_the_schedule_offers_edit_and_delete_only_on_a_row(tmp_path: Path, demo_store: Store) -> None:
    from imgtui.ui.widgets.key_bar import KeyBar

    for store in (Store(tmp_path / "empty.json"), demo_store):
        app = make_app(store)
        async with started(app, (100, 24)) as pilot:
            await pilot.press("3")
            await pilot.pause()
            assert "e Edit" not in app.pane_screen.query_one(KeyBar).render().plain
            app.pane_screen.query_one("#exams", Sheet).focus()
            await pilot.pause()
            line = app.pane_screen.query_one(KeyBar).render().plain
            assert ("e Edit" in line and "d Delete" in line) == bool(store.exams())


async def test_quick_changes_in_a_row_leave_one_message_not_a_pile(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        await open_site(pilot, demo_store, "Metro General Hospital")
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
        shown = list(app._notifications)
        assert len(shown) == 1 and "(ctrl+z to undo)" in shown[0].message


def test_a_saved_draft_never_replaces_a_file(tmp_path: Path) -> None:
    from imgtui.drafts import Draft
    from imgtui.ui.outreach import save_draft

    draft = Draft("first-inquiry", "a@b.org", "Hello", "Body\n", (), 1)
    mine = tmp_path / "mercy.eml"
    mine.write_text("my own file")
    message = save_draft(draft, mine)
    assert mine.read_text() == "my own file" and "mercy.eml exists" in message
    assert b"Subject: Hello" in (tmp_path / "mercy-2.eml").read_bytes()
    assert "mercy-3.eml" in save_draft(draft, mine)


async def test_today_asks_for_the_specialty_until_one_is_chosen_and_enter_goes_there(tmp_path: Path) -> None:
    """Past the first-start checklist, a profile with no specialty is told on Today that
    there is no target until one is chosen; Enter opens Profile on that field."""
    from imgtui.ui.widgets.profile import ProfilePane
    from imgtui.ui.widgets.today import TodayPane

    store = Store(tmp_path / "new.json")
    store.save(UsceSite.from_input({"name": "Mercy"}))
    app = make_app(store)
    async with started(app, (80, 24)) as pilot:
        kinds = [item.kind for item in app.overview.items]
        assert kinds[0] == "choose_target" and "start" not in kinds
        today = app.pane_screen.query_one(TodayPane)
        today.post_message(TodayPane.Goto(today.items[0]))  # as Enter on that line does
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "profile" and app.pane_screen.query_one(ProfilePane).current_field == "specialty"
        store.update_profile({"specialty": "IM"})
        app.refresh_data()
        await pilot.pause()
        first = app.overview.items[0]
        assert first.kind == "choose_target" and "internal medicine program tier" in first.text
        store.update_profile({"program_tier": "community"})
        app.refresh_data()
        await pilot.pause()
        assert "choose_target" not in [item.kind for item in app.overview.items]
