"""The app's USCE tracker actions: add and edit sites, log inquiries, follow-ups and
letters. Each calls one planner use case through the app's ``_do`` or its forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.css.query import NoMatches

from ..core import usce as usce_rules
from ..records import Inquiry, Letter, Record, UsceSite, choice_label
from .screens.forms import form_fields
from .widgets.usce import UscePane

if TYPE_CHECKING:
    from .app import ImgtuiApp


class UsceActions:
    """Mixed into ImgtuiApp."""

    def _app(self) -> ImgtuiApp:
        return cast("ImgtuiApp", self)

    def _not_a_second_entry(self, record: Record) -> str | None:
        app = self._app()
        if not isinstance(record, UsceSite):
            return None
        return usce_rules.second_entry_problem(record, app.planner.sites())

    def action_add_site(self) -> None:
        app = self._app()

        def added(record: Record | None) -> None:
            if not isinstance(record, UsceSite):
                return
            app.show_added(app._do(lambda: app.planner.add_site(record)), "usce", "#sites")

        app._open_form(
            "New USCE site",
            UsceSite,
            added,
            initial={"specialty": app.store.profile().specialty},
            check=app._not_a_second_entry,
        )

    def action_edit_site_cell(self, doc_id: int, field: str, anchor: tuple[int, int] | None = None) -> None:
        app = self._app()
        site = app.store.get(UsceSite, int(doc_id))
        if site is None:
            return
        label = UsceSite.spec(field).label

        def edited(record: Record | None) -> None:
            if isinstance(record, UsceSite):
                pane = app.pane_screen.query_one(UscePane)
                change = f"Edited {label.lower()}"

                def shown() -> None:  # the edited row at once, assessed as the refresh will
                    profile = app.overview.snapshot.profile if app.overview else app.store.profile()
                    pane.show_site(usce_rules.assess_site(record, profile, app.rules))

                reopen = lambda stored: app.action_edit_site_cell(int(doc_id), field)  # noqa: E731
                app._save_edit(record, site, change, reopen, shown)

        app._open_form(
            f"{site.name}: {label}",
            UsceSite,
            edited,
            fields=[field],
            base=site,
            anchor=anchor,
            check=app._not_a_second_entry,
        )

    def action_edit_site(self, doc_id: int) -> None:
        app = self._app()
        if (site := app.store.get(UsceSite, int(doc_id))) is not None:
            app._open_form(
                f"Edit {site.name}",
                UsceSite,
                "Edited site",
                base=site,
                fields=UsceSite.field_names(),
                check=app._not_a_second_entry,
            )

    def action_next_status(self, doc_id: int) -> None:
        app = self._app()
        app._do(lambda: app.planner.next_status(int(doc_id)))

    def _selected_site(self) -> int | None:
        app = self._app()
        try:
            return app.pane_screen.query_one(UscePane).selected_site_id()
        except NoMatches:
            return None

    def action_log_inquiry_selected(self) -> None:
        app = self._app()
        site_id = app._selected_site() if app.active_pane == "usce" else None
        if site_id is None:  # the site the cursor is on elsewhere may not be the one meant
            app.go_to("usce")
            app.say("Pick the site with the arrows (or / to filter), then press i to log the e-mail.")
            return
        app.action_log_inquiry(site_id)

    def action_mark_reply_selected(self) -> None:
        app = self._app()
        app.go_to("usce", lambda: app.pane_screen.query_one(UscePane).action_mark_reply())

    def action_log_inquiry(self, site_id: int) -> None:
        app = self._app()
        site = app.store.get(UsceSite, int(site_id))
        if site is None:
            return

        def logged(record: Record | None) -> None:
            if isinstance(record, Inquiry):
                app._do(lambda: app.planner.log_inquiry(record))

        app._open_form(
            f"Inquiry e-mail to {site.name}",
            Inquiry,
            logged,
            fields=["sent", "contact", "email", "subject", "notes"],
            fixed={"site_id": site.doc_id},
            focus="contact",  # the date is filled in: the contact's name is the first thing to type
            initial={
                "sent": app.today().isoformat(),
                "email": site.contact_email or "",
                "subject": f"{choice_label(site.usce_type).capitalize()} inquiry",
            },
        )

    def action_follow_up_sent(self, inquiry_id: int) -> None:
        app = self._app()
        app._do(lambda: app.planner.follow_up(int(inquiry_id)))

    def _site_options(self) -> dict[str, list[tuple[str, str]]]:
        app = self._app()
        """A letter's site, chosen in its form: any site, or none (a letter from home)."""
        sites = sorted(app.store.sites(), key=lambda site: site.name.lower())
        return {"site_id": [("none: not from a US site", ""), *((site.name, str(site.doc_id)) for site in sites)]}

    def action_add_letter(self, site_id: int = 0) -> None:
        app = self._app()
        site = app.store.get(UsceSite, int(site_id)) if site_id else None
        app._open_form(
            "Letter of recommendation",
            Letter,
            "Added letter",
            fields=["writer", "site_id", *form_fields(Letter)[1:]],
            options=app._site_options(),
            initial={
                "site_id": str(site.doc_id) if site else "",
                "specialty": site.specialty if site else app.store.profile().specialty,
            },
        )

    def action_edit_inquiry(self, doc_id: int) -> None:
        app = self._app()
        if (inquiry := app.store.get(Inquiry, int(doc_id))) is not None:
            app._open_form(f"Inquiry sent {inquiry.sent}", Inquiry, "Edited inquiry", base=inquiry)

    def action_edit_letter(self, doc_id: int) -> None:
        app = self._app()
        if (letter := app.store.get(Letter, int(doc_id))) is not None:
            app._open_form(
                f"Letter: {letter.writer}",
                Letter,
                "Edited letter",
                base=letter,
                fields=["writer", "site_id", *form_fields(Letter)[1:]],
                options=app._site_options(),
            )
