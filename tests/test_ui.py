"""Pilot tests: drive each pane by keys only and check the store afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from imgtui.records import PracticeExam, QbankDay, UsceSite
from imgtui.store import Store
from imgtui.ui.app import ImgtuiApp
from imgtui.ui.screens.forms import ConfirmScreen, NoticeScreen, RecordForm
from imgtui.ui.screens.help import HelpScreen
from imgtui.ui.widgets.profile import ProfilePane
from imgtui.ui.widgets.schedule import SchedulePane
from imgtui.ui.widgets.sheet import Sheet
from imgtui.ui.widgets.usce import UscePane

from .conftest import DEMO_DAY, started

SIZE = (100, 32)


def make_app(store: Store, today: date = DEMO_DAY) -> ImgtuiApp:
    return ImgtuiApp(store, today=today, poll_seconds=0)


async def show_sheet(pilot, pane_key: str, sheet_id: str) -> Sheet:
    """Switch pane by its number key and return one of its sheets."""
    await pilot.press(pane_key)
    await pilot.pause()
    return pilot.app.pane_screen.query_one(f"#{sheet_id}", Sheet)


async def open_log_exam_form(pilot) -> RecordForm:
    """Schedule, then a: the practice exam form."""
    await pilot.press("3")
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordForm)
    return pilot.app.screen


def text_of(app: ImgtuiApp, selector: str) -> str:
    return str(app.pane_screen.query_one(selector, Static).content)  # Text or Paragraphs: their text


async def test_number_keys_switch_panes_with_useful_focus(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("2")
        await pilot.pause()
        assert app.focused.id == "profile-fields"
        await pilot.press("3")
        await pilot.pause()
        assert app.focused.id == "schedule-pane"
        await pilot.press("4")
        await pilot.pause()
        assert app.focused.id == "sites"
        await pilot.press("1")
        await pilot.pause()
        assert app.focused.id == "today-list"
        # in a profile value's editor digits type, and the pane stays
        await pilot.press("2", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and app.focused.id == "field-step1_score"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.active_pane == "profile" and not isinstance(app.screen, RecordForm)
        assert demo_store.profile().step1_score == 3
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo_store.profile().step1_score is None


def profile_error(app: ImgtuiApp, field: str) -> str:
    return str(app.screen.query_one(f"#error-{field}", Static).render())


async def test_fill_the_profile_by_keys_with_bad_values_refused(store: Store) -> None:
    app = make_app(store)
    async with started(app, SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pane = app.pane_screen.query_one(ProfilePane)
        await pilot.press(*["down"] * 6, "enter")  # to graduation year
        await pilot.pause()
        assert app.focused.id == "field-graduation_year"
        await pilot.press(*"20x9", "enter")
        await pilot.pause()
        assert "not valid" in profile_error(app, "graduation_year")
        assert store.profile().graduation_year is None  # nothing saved while invalid
        await pilot.press("ctrl+a", "ctrl+k", *"2019", "enter")
        await pilot.pause()
        assert store.profile().graduation_year == 2019
        assert not isinstance(app.screen, RecordForm)
        assert "2019" in [c.plain for c in pane.fields_sheet.get_row_at(6)]
        assert pane.current_field == "specialty"  # a saved value moves on to the next field
        assert "No target yet" in text_of(app, "#profile-target")  # none before a specialty is chosen
        # specialty and program tier: choices, made from the keyboard
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "field-specialty"
        await pilot.press("enter", "down", "enter")  # from blank down to internal medicine
        await pilot.pause()
        assert store.profile().specialty == "internal_medicine"
        assert "No target yet" in text_of(app, "#profile-target")  # internal medicine needs its tier
        assert pane.current_field == "program_tier"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "field-program_tier"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # from blank down to academic
        await pilot.pause()
        assert store.profile().program_tier == "academic"
        assert "250" in text_of(app, "#profile-target")
        # dates: written forms accepted, exam before start refused
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.focused.id == "field-study_start"
        await pilot.press(*"Dec 1 2026", "enter")
        await pilot.pause()
        assert str(store.profile().study_start) == "2026-12-01"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"2026-11-01", "enter")
        await pilot.pause()
        assert "after the study start" in profile_error(app, "exam_date")
        assert store.profile().exam_date is None
        await pilot.press("ctrl+a", "ctrl+k", *"2027-04-01", "enter")
        await pilot.pause()
        assert str(store.profile().exam_date) == "2027-04-01"
        # a later exam date counts as a postponement
        await pilot.press("up", "enter", "ctrl+u", *"2027-05-03", "enter")
        await pilot.pause()
        assert str(store.profile().exam_date) == "2027-05-03" and store.profile().exam_delays == 1
        assert "postponements so far: 1" in text_of(app, "#profile-target")
        # Esc leaves an editor without saving
        assert pane.current_field == "target_score"
        await pilot.press("enter", *"250", "escape")
        await pilot.pause()
        assert store.profile().target_score is None and not isinstance(app.screen, RecordForm)
        assert pane.current_field == "target_score"


async def test_log_practice_exam_changes_the_verdict(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        before = text_of(app, "#decision")
        assert "BORDERLINE" in before
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        await pilot.press(*"UWSA 1", "tab", "tab", *"301", "enter")  # form, (date: today), score
        await pilot.pause()
        assert "out of range" in str(app.screen.query_one("#error-score", Static).render())
        assert isinstance(app.screen, RecordForm)
        await pilot.press("shift+tab")  # score field: select-all on focus
        await pilot.press("tab")
        await pilot.press(*"214", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
        uwsa = [e for e in demo_store.exams() if e.form == "UWSA 1"]
        assert [(e.score, e.taken) for e in uwsa] == [(214, DEMO_DAY)]
        after = text_of(app, "#decision")
        assert "DELAY" in after and "UWSA 1 214 is 21 below the 235 target" in after
        assert "Suggested new exam date" in after


async def test_edit_a_question_bank_day(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        qbank = await show_sheet(pilot, "3", "qbank")
        qbank.focus()
        await pilot.pause()
        first = demo_store.get(QbankDay, int(qbank.current_key))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        await pilot.press("tab", *"90", "tab", *"95", "enter")  # done 90, correct 95: refused
        await pilot.pause()
        assert "more than the 90" in str(app.screen.query_one("#error-correct", Static).render())
        await pilot.press("shift+tab", "tab", *"50", "enter")
        await pilot.pause()
        edited = demo_store.get(QbankDay, first.doc_id)
        assert (edited.done, edited.correct) == (90, 50)


async def test_apply_suggested_date_replans(demo_store: Store) -> None:
    demo_store.save(PracticeExam.from_input({"form": "UWSA 1", "taken": DEMO_DAY, "score": 214}))
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("3", "r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        suggested = app.overview.decision.suggested_exam_date
        await pilot.press("y")
        await pilot.pause()
        assert demo_store.profile().exam_date == suggested
        assert demo_store.profile().exam_delays == 1
        assert len(demo_store.exams()) == 6  # logged data kept


async def test_usce_add_edit_sort_filter_delete_undo(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        count = sites.row_count
        # add: focus lands in the name field; Enter confirms
        await pilot.press("a")
        await pilot.pause()
        assert app.focused.id == "field-name"
        await pilot.press(*"Zeta [/] Clinic", "enter")
        await pilot.pause()
        assert sites.row_count == count + 1
        new = next(s for s in demo_store.sites() if s.name == "Zeta [/] Clinic")
        assert sites.current_key == str(new.doc_id)
        # Escape cancels an add
        await pilot.press("a", *"Never", "escape")
        await pilot.pause()
        assert not any(s.name == "Never" for s in demo_store.sites())
        # edit in place: move to the Weeks column, Enter, type, Enter
        await pilot.press("home")
        for _ in range(6):
            await pilot.press("right")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "field-weeks"
        await pilot.press(*"6", "enter")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id).weeks == 6
        assert sites.get_row_at(sites.cursor_row)[6].plain == "6"
        # the row showed at once; the full rebuild (assessments, totals) followed
        assert next(a for a in app.overview.sites if a.site.doc_id == new.doc_id).site.weeks == 6
        # a bad value is refused in the editor
        await pilot.press("enter", *"-3", "enter")
        await pilot.pause()
        assert "out of range" in str(app.screen.query_one("#error-weeks", Static).render())
        await pilot.press("escape")
        # an enumerated cell edits with a Select: Status, idea -> contacted
        for _ in range(5):
            await pilot.press("right")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "field-status"
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id).status == "contacted"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id).status == "idea"
        # status in one key
        await pilot.press("n")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id).status == "contacted"
        # sort by the Weeks column, then reverse
        for _ in range(5):
            await pilot.press("left")
        await pilot.press("s")
        await pilot.pause()
        weeks = [sites.get_row_at(i)[6].plain for i in range(sites.row_count)]
        numbers = [int(w) for w in weeks if w]
        assert numbers == sorted(numbers)
        await pilot.press("s")
        await pilot.pause()
        weeks = [int(sites.get_row_at(i)[6].plain) for i in range(sites.row_count) if sites.get_row_at(i)[6].plain]
        assert weeks == sorted(weeks, reverse=True)
        # filter as you type across columns
        await pilot.press("slash", *"newark")
        await pilot.pause()
        assert sites.row_count == 1 and sites.get_row_at(0)[0].plain == "St. Mary [Main] Campus"
        await pilot.press("escape")
        await pilot.pause()
        assert sites.row_count == count + 1
        # delete asks, and can be undone
        sites.select_key(str(new.doc_id))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id) is not None
        await pilot.press("d", "y")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id) is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo_store.get(type(new), new.doc_id).status == "contacted"
        assert sites.row_count == count + 1


async def test_log_inquiry_and_see_the_follow_up_on_today(demo_store: Store) -> None:
    later = date(2026, 12, 10)
    app = make_app(demo_store, today=later)
    async with started(app, SIZE) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        metro = next(s for s in demo_store.sites() if s.name == "Metro General Hospital")
        sites.select_key(str(metro.doc_id))
        await pilot.press("i")
        await pilot.pause()
        assert app.focused.id == "field-contact"  # the date is filled in: the first field to type
        await pilot.press("shift+tab", "ctrl+a", "ctrl+k", *"2026-12-03", "tab", *"Dr. Khan", "enter")
        await pilot.pause()
        inquiry = next(i for i in demo_store.inquiries() if i.site_id == metro.doc_id)
        assert inquiry.contact == "Dr. Khan" and str(inquiry.sent) == "2026-12-03"
        assert demo_store.get(type(metro), metro.doc_id).status == "contacted"
        await pilot.press("1")
        await pilot.pause()
        options = app.pane_screen.query_one("#today-list", OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        follow = [
            t for t in texts if "Due today: Follow up with Dr. Khan at Metro General Hospital (sent 2026-12-03" in t
        ]
        assert follow
        # Enter on that line leads to the site in the USCE sheet
        options.highlighted = texts.index(follow[0])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "usce"
        assert sites.current_key == str(metro.doc_id)
        assert app.focused.id == "inquiries"
        # mark the reply: r, then what it said (they need documents): the follow-up disappears
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        # dated as of the app's day, but never after the real one (nothing is stored ahead of time)
        expected = max(min(later, date.today()), date(2026, 12, 3))
        replied = next(i for i in demo_store.inquiries() if i.site_id == metro.doc_id)
        assert replied.replied == expected and replied.reply_gist == "needs_documents"
        assert demo_store.get(UsceSite, metro.doc_id).status == "replied"


async def test_a_long_block_line_leads_to_the_question_bank_where_logging_it_fills_the_checkpoint(
    demo_store: Store,
) -> None:
    """The demo's long timed block was yesterday: it is done with questions, not an exam score."""
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        kinds = [item.kind for item in app.overview.items]
        assert "long_block" in kinds, [item.text for item in app.overview.items]
        app.pane_screen.query_one("#today-list", OptionList).highlighted = kinds.index("long_block")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "schedule" and app.focused.id == "qbank"
        await pilot.press("l", *"120", "tab", *"80", "enter")
        await pilot.pause()
        points = app.pane_screen.query_one("#checkpoints", Sheet)
        row = next(
            points.get_row_at(i) for i in range(points.row_count) if points.get_row_at(i)[1].plain == "Long timed block"
        )
        assert [c.plain for c in row[3:]] == ["120 questions 67%", "done"]
        assert "long_block" not in [item.kind for item in app.overview.items if "2026-11-22" in item.text]


async def test_help_palette_and_markup_safety(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        sites = await show_sheet(pilot, "4", "sites")
        names = [sites.get_row_at(i)[0].plain for i in range(sites.row_count)]
        assert "St. Mary [Main] Campus" in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add usce")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RecordForm) and app.focused.id == "field-name"


async def test_the_palette_goes_to_a_pane_not_yet_shown(demo_store: Store) -> None:
    """Each pane is a screen built on its first visit: reached from the palette too,
    it opens with its own tab and its keys."""
    from imgtui.ui.widgets.key_bar import KeyBar
    from imgtui.ui.widgets.tab_bar import TabBar

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to usce")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "usce" and app.focused is not None and app.focused.id == "sites"
        assert app.pane_screen.query_one(TabBar).active == "usce"
        assert "a Add site" in app.pane_screen.query_one(KeyBar).render().plain
        assert app.pane_screen.query_one("#sites", Sheet).row_count > 0  # filled on arrival


async def test_a_key_typed_behind_the_key_of_the_pane_in_view_acts_at_once(demo_store: Store) -> None:
    """'1' on Today moves no focus: the 'l' typed behind it opens the form without waiting
    (it used to wait half a second for a focus change that never came)."""
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("1", "l")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and app.screen.title_text == "Log question-bank block"


async def test_keys_typed_while_imgtui_starts_wait_for_the_first_pane(demo_store: Store) -> None:
    """'4', 'a' and a name typed before Today is on screen (a fast typist, a slow start):
    the tracker opens, then the new-site form, with the whole name in it."""
    from textual import events

    from imgtui.planner import Planner

    class TypedEarly(ImgtuiApp):
        def on_mount(self) -> None:  # runs before ImgtuiApp.on_mount shows Today
            for key in "4aZeta":
                self.post_message(events.Key(key, key))

    app = TypedEarly(Planner(demo_store, today=DEMO_DAY), poll_seconds=0)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        assert app.active_pane == "usce" and isinstance(app.screen, RecordForm)
        assert app.focused is not None and app.focused.id == "field-name" and app.focused.value == "Zeta"


async def test_every_pane_says_the_file_is_read_only(demo_path: Path) -> None:
    """A file imgtui cannot write: each pane's title says changes are not saved, and a
    change is refused with a message, the file untouched."""
    said: list[str] = []
    demo_path.chmod(0o444)
    before = demo_path.read_bytes()
    try:
        app = make_app(Store(demo_path))
        app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
        async with started(app, SIZE) as pilot:
            for key in ("1", "4"):
                await pilot.press(key)
                await pilot.pause()
                title = text_of(app, "#title-bar")
                assert "demo.json (read-only: changes are not saved)" in title, title
            await pilot.press("n")  # the next status of the site under the cursor
            await pilot.pause()
        assert any("read-only" in message for message in said), said
        assert demo_path.read_bytes() == before
    finally:
        demo_path.chmod(0o600)


async def test_recovery_notice_is_shown(db_path: Path) -> None:
    db_path.write_text("{broken")
    Path(str(db_path) + ".bak").write_text("{}")
    store = Store(db_path)
    app = make_app(store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert "moved aside" in str(app.screen.query_one("#notice-message", Static).render())
        await pilot.press("enter")
        assert not isinstance(app.screen, NoticeScreen)


async def test_changes_from_another_process_are_picked_up(demo_path: Path) -> None:
    store = Store(demo_path)
    app = ImgtuiApp(store, today=DEMO_DAY, poll_seconds=0.2)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        other = Store(demo_path)
        other.save(PracticeExam.from_input({"form": "NBME 13", "taken": DEMO_DAY, "score": 241}))
        await pilot.pause(1.0)
        assert any(e.form == "NBME 13" for e in app.overview.snapshot.exams)


async def test_resize_and_theme_change_do_not_crash(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        for key in "1234":
            await pilot.press(key)
            await pilot.pause()
        await pilot.resize_terminal(140, 45)
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.is_running


async def test_a_name_typed_right_behind_a_goes_into_the_new_site_form(demo_store: Store) -> None:
    from textual import events

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        for key in ["a", "X", "y", "z"]:
            app.post_message(events.Key(key, key))  # all queued before the form opens
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        assert app.focused.id == "field-name" and app.focused.value == "Xyz"


async def test_a_rotation_entered_twice_is_refused_and_a_second_one_at_a_site_is_flagged(demo_store: Store) -> None:
    said: list[str] = []
    app = make_app(demo_store)
    app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
    count = len(demo_store.sites())
    async with started(app, SIZE) as pilot:
        await show_sheet(pilot, "4", "sites")
        await pilot.press("a")
        await pilot.pause()
        # the demo's Mercy rotation again, spelled another way
        await pilot.press(
            *"mercy  teaching hospital", "tab", *"chicago, il", "tab", "tab", "tab", *"1 Mar 2027", "enter"
        )
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm) and len(demo_store.sites()) == count
        error = str(form.query_one("#error-name", Static).render())
        assert "Mercy Teaching Hospital (Chicago, IL) starting 2027-03-01 is already in the tracker" in error
        # another start date: a second rotation there, saved with a note
        await pilot.click("#field-start")
        await pilot.press("end", "ctrl+u", *"2027-09-06", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm) and len(demo_store.sites()) == count + 1
        assert any("was already listed (starting 2027-03-01)" in line for line in said)
        # a cell edit that would make the two one rotation is refused too
        added = max(demo_store.sites(), key=lambda site: site.doc_id or 0)
        app.action_edit_site_cell(added.doc_id, "start")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2027-03-01", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and "already in the tracker" in str(
            app.screen.query_one("#error-start", Static).render()
        )
        await pilot.press("escape")
        assert demo_store.get(UsceSite, added.doc_id).start == date(2027, 9, 6)


async def test_a_filter_matching_no_site_says_so_and_how_to_clear_it(demo_store: Store) -> None:
    said: list[str] = []
    app = make_app(demo_store)
    app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
    async with started(app, SIZE) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        await pilot.press("slash", *"zzzz", "enter")
        await pilot.pause()
        assert sites.row_count == 0 and app.focused is sites
        assert sites.render_line(1).text.strip() == "No site matches 'zzzz': clear the filter (/ then Esc)."
        for key in ("r", "i", "n"):  # act on a site: none is there
            await pilot.press(key)
            await pilot.pause()
        assert said == ["No site matches 'zzzz': clear the filter (/ then Esc)."] * 3
        assert not isinstance(app.screen, RecordForm)
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert sites.row_count == len(demo_store.sites())


async def test_log_inquiry_from_the_palette_asks_for_the_site_unless_usce_is_in_view(demo_store: Store) -> None:
    said: list[str] = []
    app = make_app(demo_store)
    app.notify = lambda message, **kwargs: said.append(message)  # type: ignore[method-assign]
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        app.action_log_inquiry_selected()  # from Today: which site is not known yet
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "usce" and not isinstance(app.screen, RecordForm)
        assert said == ["Pick the site with the arrows (or / to filter), then press i to log the e-mail."]
        sites = app.pane_screen.query_one("#sites", Sheet)
        await pilot.press("down")
        app.action_log_inquiry_selected()  # now on the site the cursor is on
        await pilot.pause()
        site = demo_store.get(UsceSite, int(sites.current_key))
        assert isinstance(app.screen, RecordForm) and site.name in app.screen.title_text


async def test_keys_typed_right_behind_slash_go_into_the_filter(demo_store: Store) -> None:
    """'/lake' arriving in one read (fast typing, a paste of keys) filters; 'a' opens no form."""
    from textual import events

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        for key, character in [("slash", "/"), ("l", "l"), ("a", "a"), ("k", "k"), ("e", "e")]:
            app.post_message(events.Key(key, character))  # all queued before the first is handled
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.pane_screen  # no form opened
        assert app.pane_screen.query_one("#site-filter").value == "lake"
        sites = app.pane_screen.query_one("#sites", Sheet)
        names = [sites.get_row_at(i)[0].plain for i in range(sites.row_count)]
        assert names and all(
            "lake" in " ".join(c.plain for c in sites.get_row_at(i)).lower() for i in range(len(names))
        )


async def test_the_tab_bar_switches_panes_by_click_and_by_arrows(demo_store: Store) -> None:
    from imgtui.ui.widgets.tab_bar import TabBar

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        bar = app.pane_screen.query_one(TabBar)
        await pilot.click(TabBar, offset=(bar.render().plain.index("USCE"), 0))
        await pilot.pause()
        bar = app.pane_screen.query_one(TabBar)  # each pane's screen has its tab bar
        assert app.active_pane == "usce" and app.focused.id == "sites" and bar.active == "usce"
        bar.focus()
        await pilot.press("right", "right")  # Programs, then wraps to Today; the bar keeps the focus
        await pilot.pause()
        assert app.active_pane == "today" and app.focused is app.pane_screen.query_one(TabBar)
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.active_pane == "schedule" and app.pane_screen.query_one(TabBar).active == "schedule"


async def test_the_follow_up_that_reaches_the_limit_says_so_with_its_rule(demo_store: Store, rules) -> None:
    from imgtui.records import Inquiry

    limit = rules["inquiries"]["not_responding_after_follow_ups"]
    inquiry = next(i for i in demo_store.inquiries() if not i.replied)
    demo_store.save(inquiry.replace(follow_ups=limit - 2))
    app = make_app(demo_store)
    said: list[str] = []
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        app.action_follow_up_sent(inquiry.doc_id)
        app.action_follow_up_sent(inquiry.doc_id)
        await pilot.pause()
    assert demo_store.get(Inquiry, inquiry.doc_id).follow_ups == limit
    assert "not responding" not in said[0] and f"{limit} follow-ups unanswered" in said[1] and "[inquiries]" in said[1]


async def test_the_key_bar_shows_the_keys_that_work_here_and_a_click_presses_one(demo_store: Store) -> None:
    from imgtui.ui.widgets.key_bar import KeyBar

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        bar = app.pane_screen.query_one(KeyBar)
        line = bar.render().plain
        assert "^q Quit" in line and "? Help" in line and line.rstrip().endswith("^p palette")
        assert "Add site" not in line
        await pilot.click(KeyBar, offset=(line.index("? Help"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("4")  # the pane keys are on the tab bar (the key bar drops them first)
        await pilot.pause()
        assert app.active_pane == "usce" and app.focused is not None and app.focused.id == "sites"
        bar = app.pane_screen.query_one(KeyBar)  # each pane's screen has its key bar
        line = bar.render().plain  # the sheet's own keys now
        assert "a Add site" in line and "m E-mail" in line and "i Inquiry" in line
        assert bar.key_at(line.index("Add site")) == ("a", True) and bar.key_at(len(line) + 5) is None


async def test_a_narrow_key_bar_keeps_the_panes_own_keys_before_keys_shown_elsewhere(demo_store: Store) -> None:
    """At 80 columns the tracker's own keys (i, r, f, L) stay; the pane keys (on the tab
    bar), Undo, Help and the palette (in help) give way, and Quit is always shown."""
    from imgtui.ui.widgets.key_bar import KeyBar

    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        await show_sheet(pilot, "4", "sites")
        bar = app.pane_screen.query_one(KeyBar)
        line = bar.render().plain
        assert len(line) <= 80 and "^q Quit" in line
        for key in ("a Add site", "m E-mail", "i Inquiry", "r Reply", "f Follow-up", "L Letter"):
            assert key in line
        assert "1 Today" not in line  # on the tab bar already
        assert "x Retire" not in line  # the sheet's last keys go first among its own
        await pilot.press("1")  # a pane with few keys keeps Undo, Help and the palette's key too
        await pilot.pause()
        line = app.pane_screen.query_one(KeyBar).render().plain
        assert "^z Undo" in line and "? Help" in line and "^q Quit" in line
        await pilot.press("4")
        await pilot.resize_terminal(300, 24)
        await pilot.pause()
        line = bar.render().plain
        assert "1 Today" in line and "x Retire site" in line and line.rstrip().endswith("^p palette")


async def test_a_form_typed_in_one_burst_with_tabs_fills_each_field(demo_store: Store) -> None:
    """'UWSA 1<Tab><Tab>221<Enter>' arriving in one read: the score is not typed into the form name."""
    from textual import events

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await open_log_exam_form(pilot)
        keys = [(c, c) if c != " " else ("space", " ") for c in "UWSA 1"]
        keys += [("tab", None), ("tab", None), ("2", "2"), ("2", "2"), ("1", "1"), ("enter", None)]
        for key, character in keys:
            app.post_message(events.Key(key, character))  # all queued before the first is handled
        await settle(pilot, 4)
        assert exams_saved(app, demo_store, "UWSA 1") == [(221, DEMO_DAY)]


async def test_a_date_field_takes_yesterday_as_the_command_line_does(demo_store: Store) -> None:
    from datetime import timedelta

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        form = await open_log_exam_form(pilot)
        await pilot.press(*"NBME 14", "tab")
        taken = form.query_one("#field-taken", Input)
        taken.value = "Yesterday"
        await pilot.press("tab", *"233", "enter")
        await pilot.pause()
        assert exams_saved(app, demo_store, "NBME 14") == [(233, DEMO_DAY - timedelta(days=1))]


async def test_keys_of_the_next_read_land_in_the_field_the_tabs_moved_to(demo_store: Store) -> None:
    """'NBME 13<Tab><Tab>' in one read, '245<Enter>' in the next (tmux send-keys, a fast typist):
    the second Tab moves the focus as it is handled, before the next read's keys are sent to a field."""
    import asyncio

    from textual import events

    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        form = await open_log_exam_form(pilot)
        assert app.focused is not None and app.focused.id == "field-form"
        first = app.focused
        await pilot.press(*"NBME 13")
        for key in ("tab", "tab"):  # queued at the form field, as one read delivers them
            first.post_message(events.Key(key, None))
        while app.focused is first:  # the first Tab is handled: the next read arrives
            await asyncio.sleep(0)
        burst(app, "2", "x", "5", "enter")
        await settle(pilot, 4)
        assert form.query_one("#field-taken", Input).value == DEMO_DAY.isoformat()
        assert form.query_one("#field-score", Input).value == "2x5"
        assert "'2x5' is not valid" in str(form.query_one("#error-score", Static).render())
        # the same with a good score saves it
        burst(app, "ctrl+u", "2", "4", "5", "enter")
        await settle(pilot, 4)
        assert exams_saved(app, demo_store, "NBME 13") == [(245, DEMO_DAY)]


async def test_the_mornings_logs_from_today_start_where_there_is_something_to_type(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        before = [d for d in demo_store.qbank_days() if d.day == DEMO_DAY]
        burst(app, "l", "4", "0", "tab", "3", "1", "enter")  # typed as fast as one read delivers it
        await settle(pilot, 4)
        assert app.active_pane == "today" and not isinstance(app.screen, RecordForm)
        logged = [d for d in demo_store.qbank_days() if d.day == DEMO_DAY]
        assert len(logged) == len(before) + 1 and (logged[-1].done, logged[-1].correct) == (40, 31)
        line = next(item.text for item in app.overview.items if item.kind == "questions")
        assert f"{sum(d.done for d in logged)} logged so far" in line
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and app.focused.id == "field-form"


async def test_a_narrow_profile_puts_the_target_under_the_fields(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, (60, 24)) as pilot:
        sheet = await show_sheet(pilot, "2", "profile-fields")
        pane = app.pane_screen.query_one(ProfilePane)
        side = app.pane_screen.query_one("#profile-side")
        assert pane.has_class("-narrow") and side.region.y >= sheet.region.bottom
        assert sheet.region.width >= 50  # values whole, not cut to two letters
        assert "Target specialty" in [cell.plain for cell in sheet.get_row_at(7)]
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert not pane.has_class("-narrow") and side.region.x >= sheet.region.right


async def test_a_narrow_schedule_puts_the_weekly_targets_under_the_checkpoints(demo_store: Store) -> None:
    """At 100 columns the two tables side by side cut each checkpoint's Logged and Status."""
    app = make_app(demo_store)
    async with started(app, (100, 32)) as pilot:
        checkpoints = await show_sheet(pilot, "3", "checkpoints")
        weeks = app.pane_screen.query_one("#weeks", Sheet)
        pane = app.pane_screen.query_one(SchedulePane)
        assert pane.has_class("-stacked") and weeks.region.y >= checkpoints.region.bottom
        assert checkpoints.scrollable_content_region.width >= checkpoints.virtual_size.width  # Status whole
        await pilot.resize_terminal(160, 32)
        await pilot.pause()
        assert not pane.has_class("-stacked") and weeks.region.x >= checkpoints.region.right
        assert checkpoints.scrollable_content_region.width >= checkpoints.virtual_size.width


async def test_the_schedule_tables_open_on_this_week_and_the_next_checkpoint(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        weeks = await show_sheet(pilot, "3", "weeks")
        points = app.pane_screen.query_one("#checkpoints", Sheet)
        ov = app.overview
        assert ov.plan is not None
        week = ov.plan.weeks[int(weeks.current_key.removeprefix("wk-"))]
        assert week.start <= DEMO_DAY <= week.end and weeks.cursor_row > 0
        point = ov.checkpoints[int(points.current_key.removeprefix("cp-"))]
        assert point.status in ("today", "planned") and ov.checkpoints[points.cursor_row - 1].status != "planned"
        # Where the user moves it, it stays through the updates a save brings.
        points.move_cursor(row=0)
        demo_store.save(QbankDay.from_input({"day": DEMO_DAY, "done": 10, "correct": 5}), "Log")
        app.refresh_data()
        await pilot.pause()
        assert app.overview is not ov and points.cursor_row == 0


async def test_today_setup_line_leads_to_the_study_start(store: Store) -> None:
    """A new user's Today asks for the plan's dates; Enter there opens Profile on that field."""
    app = make_app(store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        setup = next(i for i, item in enumerate(app.overview.items) if item.kind == "setup")
        app.pane_screen.query_one("#today-list", OptionList).highlighted = setup
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.active_pane == "profile" and app.focused.id == "profile-fields"
        assert app.pane_screen.query_one(ProfilePane).current_field == "study_start"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "field-study_start"


def exams_saved(app: ImgtuiApp, store: Store, form: str) -> list[tuple[float, date]]:
    """The exam form closed; the (score, date) of each exam of ``form`` now stored."""
    assert not isinstance(app.screen, RecordForm)
    return [(e.score, e.taken) for e in store.exams() if e.form == form]


async def settle(pilot, rounds: int) -> None:
    """Let keys posted at once, and the messages they cause, be handled: a pause per round."""
    for _ in range(rounds):
        await pilot.pause()


def burst(app: ImgtuiApp, *keys: str) -> None:
    """Keys as one terminal read delivers them: all queued before the first is handled."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_behind_enter_on_a_sheet_go_to_the_editor_it_opens(demo_store: Store) -> None:
    """'Enter 12 Enter' on the Weeks cell: the digits are not pane keys (1 Today, 2 Profile)."""
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        key = sites.current_key
        sites.move_cursor(column=6)  # Wks
        burst(app, "enter", "1", "2", "enter")
        await settle(pilot, 6)
        assert app.active_pane == "usce" and not isinstance(app.screen, RecordForm)
        assert demo_store.get(UsceSite, int(key)).weeks == 12
        # the same in the profile, with an editing key in the burst
        await pilot.press("2")
        await pilot.pause()
        app.pane_screen.query_one(ProfilePane).select_field("graduation_year")
        burst(app, "enter", "ctrl+u", *"2019", "enter")
        await settle(pilot, 6)
        assert app.active_pane == "profile" and demo_store.profile().graduation_year == 2019
        # Enter that opens nothing (a computed column): the keys behind it act as usual
        await pilot.press("4")
        await pilot.pause()
        sites.move_cursor(column=13)  # Rubric
        burst(app, "enter", "1")
        for _ in range(30):  # the '1' waits at most HOLD_KEYS_SECONDS for an editor that never opens
            await pilot.pause(0.1)
            if app.active_pane == "today":
                break
        assert app.active_pane == "today"


async def test_keys_typed_behind_a_pane_key_reach_the_pane_shown_the_first_time(demo_store: Store) -> None:
    """'4/lake' at the start of a session: the pane is mounted when '4' is handled; '/lake' waits for it."""
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        burst(app, "4", "slash", *"lake")
        await settle(pilot, 6)
        assert app.active_pane == "usce"
        assert app.pane_screen.query_one("#site-filter", Input).value == "lake"
        assert app.pane_screen.query_one(UscePane).filter_text == "lake"


async def test_the_palette_changes_one_profile_field_from_anywhere(demo_store: Store) -> None:
    """ctrl+p 'change exam date' from Today: Profile, on that row, with its editor open."""
    app = make_app(demo_store)
    async with started(app, SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"change exam date")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, 4)
        assert app.active_pane == "profile" and app.pane_screen.query_one(ProfilePane).current_field == "exam_date"
        assert isinstance(app.screen, RecordForm) and app.focused.id == "field-exam_date"
        await pilot.press("ctrl+u", *"2027-02-12", "enter")
        await pilot.pause()
        assert str(demo_store.profile().exam_date) == "2027-02-12" and demo_store.profile().exam_delays == 1


async def test_a_tall_form_at_80x24_keeps_its_save_hint_and_the_focused_field_in_view(demo_store: Store) -> None:
    """Tab into a hidden Notes field replaced a note unseen, and the save hint was off screen."""
    app = make_app(demo_store)
    inquiry = demo_store.inquiries()[0]
    async with started(app, (80, 24)) as pilot:
        app.action_edit_inquiry(inquiry.doc_id)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        for _ in range(12):
            if app.focused is not None and app.focused.id == "field-notes":
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is not None and app.focused.id == "field-notes"
        await pilot.pause(0.2)
        screen = form.region
        help_region = form.query_one("#form-help").region
        field = app.focused.region
        assert screen.contains_region(help_region), help_region
        assert screen.contains_region(field) and field.height > 0, field


async def test_pasting_several_lines_keeps_every_one(demo_store: Store) -> None:
    """Pasting lines into Notes kept the first and dropped the rest without a word."""
    from textual import events

    app = make_app(demo_store)
    inquiry = demo_store.inquiries()[0]
    async with started(app, (80, 24)) as pilot:
        app.action_edit_inquiry(inquiry.doc_id)
        await pilot.pause()
        notes = app.screen.query_one("#field-notes")
        notes.focus()
        await pilot.pause()
        notes.post_message(events.Paste("Called the office\nThey want a CV\nand the ECFMG letter"))
        await pilot.pause()
        contact = app.screen.query_one("#field-contact", Input)
        contact.focus()
        await pilot.pause()
        contact.value = ""
        contact.post_message(events.Paste("Dr. Ana\nRuiz"))  # a one-line field: joined, and said so
        await pilot.pause()
        assert contact.value == "Dr. Ana Ruiz"
        assert any("Pasted 2 lines as one" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = demo_store.get(type(inquiry), inquiry.doc_id)
    assert saved.notes.endswith("Called the office\nThey want a CV\nand the ECFMG letter")


async def test_the_chart_labels_the_pass_line_with_the_pass_mark() -> None:
    """The pass line shared the bottom row with the axis minimum and was labelled 215, not 218."""
    from textual.app import App, ComposeResult

    from imgtui.ui.widgets.chart import ScoreChart

    class ChartApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ScoreChart()

    app = ChartApp()
    async with app.run_test(size=(80, 14)) as pilot:
        chart = app.query_one(ScoreChart)
        points = [(date(2026, 10, 1), 225.0), (date(2026, 11, 1), 300.0)]  # axis from 215: the pass row
        chart.set_data(points, 260, 218, None, date(2026, 9, 1), date(2027, 1, 10), date(2026, 11, 22))
        await pilot.pause()
        rendered = chart.render().plain
        pass_rows = [line for line in rendered.splitlines() if "╌╌" in line]
        assert pass_rows and all(line.lstrip().startswith("218") for line in pass_rows), pass_rows


async def test_the_letter_form_shows_and_edits_its_site(demo_store: Store) -> None:
    """L filed a home-country letter under whatever site the cursor was on, with no site field."""
    from textual.widgets import Select

    from imgtui.records import Letter

    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        mercy = next(s for s in demo_store.sites() if s.name == "Mercy Teaching Hospital")
        sites.select_key(str(mercy.doc_id))
        await pilot.press("L")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        site_field = form.query_one("#field-site_id", Select)
        assert site_field.value == str(mercy.doc_id)  # the highlighted site, shown and changeable
        site_field.value = ""  # a letter from home: no US site
        await pilot.press(*"Prof. Okafor")
        await pilot.press("ctrl+s")
        await pilot.pause()
    okafor = next(x for x in demo_store.letters() if x.writer == "Prof. Okafor")
    assert isinstance(okafor, Letter) and okafor.site_id is None


async def test_every_field_of_a_site_is_editable_in_the_app(demo_store: Store) -> None:
    """Residents, contact e-mail and notes (where 'guaranteed interview' is read) were CSV-only."""
    app = make_app(demo_store)
    async with started(app, (80, 24)) as pilot:
        sites = await show_sheet(pilot, "4", "sites")
        metro = next(s for s in demo_store.sites() if s.name == "Metro General Hospital")
        sites.select_key(str(metro.doc_id))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        assert {f"field-{name}" for name in UsceSite.field_names()} <= {w.id for w in form.query("*") if w.id}
        form.query_one("#field-contact_email", Input).value = "im@metro.org"
        form.query_one("#field-notes").load_text("Role: sub-intern on wards")
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = demo_store.get(UsceSite, metro.doc_id)
    assert (saved.contact_email, saved.notes) == ("im@metro.org", "Role: sub-intern on wards")
