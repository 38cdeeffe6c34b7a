"""The app's outreach actions: draft an e-mail, keep a site's documents, snooze a
follow-up, retire a site. Each calls one planner use case; the screens only edit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.outreach import rates_line
from ..core.usce import expects_reply
from ..drafts import Draft
from ..paths import write_private
from ..planner import RETIRE_REASONS
from ..records import Inquiry, Profile, Record, SiteDocument, UsceSite, ValidationErrors
from ..store import StoreError
from .screens.forms import NoticeScreen
from .screens.outreach import ChoiceScreen, DocumentsScreen, DraftScreen
from .screens.site_detail import OutreachListScreen, SiteDetailScreen, site_story
from .widgets.sheet import Sheet

if TYPE_CHECKING:
    from .app import ImgtuiApp

REPLY_CHOICES = [
    ("Yes: they offer a place (the site becomes accepted)", "yes"),
    ("No: not possible (the site becomes declined)", "no"),
    ("They need documents or an application first", "needs_documents"),
    ("Something else", "other"),
]
RETIRE_CHOICES = [
    ("No reply after the follow-ups", "no-reply"),
    ("They declined", "declined"),
    ("Do not contact again", "do-not-contact"),
]
assert {value for _, value in RETIRE_CHOICES} == set(RETIRE_REASONS)


def draft_file_name(site_name: str, template: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-")[:40] or "site"
    return Path("~/imgtui-drafts").expanduser() / f"{slug}-{template}.eml"


def free_name(path: Path) -> Path:
    """``path``, or the first of name-2, name-3... not taken: a saved draft never replaces a file."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def save_draft(draft: Draft, path: Path) -> str:
    """Write the draft (.eml: a message mail programs open as a draft; else plain text)."""
    data = draft.eml() if path.suffix.lower() == ".eml" else draft.text().encode("utf-8")
    target = free_name(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, data)
    except OSError as exc:
        return f"Could not write {target}: {exc.strerror or exc}; pick another file"
    taken = f" ({path.name} exists: kept as it is)" if target != path else ""
    return f"Wrote {target}{taken}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class OutreachActions:
    """Mixed into ImgtuiApp (the planner, say, _do and push_screen come from there)."""

    def _app(self) -> ImgtuiApp:
        return cast("ImgtuiApp", self)

    def action_draft(self, site_id: int, inquiry_id: int | None = None) -> None:
        app = self._app()
        planner = app.planner
        try:
            site = planner.site(site_id)
            template = planner.suggested_template(site_id)
            if inquiry_id is not None:
                inquiry = planner.get(Inquiry, inquiry_id)
                if inquiry is not None and not inquiry.replied and expects_reply(inquiry):
                    template = "follow-up-2" if inquiry.follow_ups else "follow-up-1"
            templates = planner.templates()
            draft = planner.draft(template, site_id, inquiry_id)
        except (ValidationErrors, ValueError) as exc:
            app.say(f"No draft: {exc}", severity="warning", timeout=8)
            return
        choices = [(_short(f"{t.name}: {t.purpose}", 60), t.name) for t in templates.values()]

        def redraft(name: str) -> Draft:
            return planner.draft(name, site_id, inquiry_id)

        def sent(edited: Draft | None) -> None:
            if edited is not None:
                app._do(lambda: planner.mark_sent(edited, edited.subject))

        def fill(draft: Draft, done: Callable[[], None]) -> None:
            app.fill_for_draft(draft, done)

        screen = DraftScreen(
            f"E-mail to {site.name}", draft, choices, redraft, save_draft, draft_file_name(site.name, template), fill
        )
        app.push_screen(screen, sent)

    def fill_for_draft(self, draft: Draft, done: Callable[[], None]) -> None:
        """The profile fields the draft lacks in one form, then the site's, then ``done``."""
        app = self._app()
        profile_fields = draft.fields_to_fill("profile")
        site_fields = draft.fields_to_fill("site")

        def site_step() -> None:
            site = app.planner.site(draft.site_id)
            if not site_fields:
                done()
                return

            def saved(record: Record | None) -> None:
                if isinstance(record, UsceSite):
                    app._save_edit(record, site, "Site details for the e-mail", lambda _: None)
                done()

            app._open_form(f"{site.name}: for the e-mail", UsceSite, saved, fields=site_fields, base=site)

        if not profile_fields:
            site_step()
            return

        def profile_saved(record: Record | None) -> None:
            if isinstance(record, Profile):
                values = {name: getattr(record, name) for name in profile_fields}
                app._write("Profile for e-mails", lambda: app.planner.update_profile(values, "Profile for e-mails"))
            site_step()

        app._open_form(
            "Your details for the e-mail", Profile, profile_saved, fields=profile_fields, base=app.store.profile()
        )

    def action_documents(self, site_id: int) -> None:
        app = self._app()
        planner = app.planner
        site = planner.site(site_id)

        def mark(item: SiteDocument, field: str) -> str:
            return app._quietly(lambda: planner.mark_document(item, field).message)

        def add(name: str) -> str:
            return app._quietly(lambda: planner.add_document(site_id, name).message)

        def closed(_: Any) -> None:
            app.refresh_data()

        screen = DocumentsScreen(f"Documents for {site.name}", lambda: planner.documents(site_id), mark, add)
        app.push_screen(screen, closed)

    @staticmethod
    def _quietly(use_case: Any) -> str:
        """A use case run from inside a screen: its message, or why it was refused."""
        try:
            return str(use_case())
        except ValidationErrors as exc:
            return f"{'; '.join(e.message for e in exc.errors)} (nothing saved)"
        except StoreError as exc:
            return str(exc)

    def action_mark_reply(self, inquiry_id: int) -> None:
        """They replied: what did they say? (it moves the site on)."""
        app = self._app()
        inquiry = app.planner.get(Inquiry, int(inquiry_id))
        if inquiry is None:
            return
        if inquiry.replied:
            app.say(f"Already marked replied on {inquiry.replied}.")
            return
        site = app.store.get(UsceSite, inquiry.site_id)

        def chosen(gist: str | None) -> None:
            if gist:
                app._do(lambda: app.planner.mark_reply(int(inquiry_id), gist=gist))

        where = site.name if site else "the site"
        app.push_screen(
            ChoiceScreen(f"{where} replied to the e-mail of {inquiry.sent}. What did they say?", REPLY_CHOICES), chosen
        )

    def action_explain_rule(self, rule: str | None) -> None:
        """Where a line of advice comes from: the rule in full and its sources."""
        app = self._app()
        if not rule:
            app.say("This line follows from your own data (no rule behind it).")
            return
        try:
            found = app.rules[rule]
        except KeyError:
            app.say(f"No rule named {rule}.", severity="warning")
            return
        app.push_screen(NoticeScreen(f"Why: {found.title}", found.explained(app.rules.sources)))

    def action_view_site(self, site_id: int) -> None:
        """The site's whole story; from there e edits it, m drafts, D opens documents."""
        app = self._app()
        assessment = app.overview.assessment(site_id) if app.overview else None
        if assessment is None or app.overview is None:
            return

        def then(what: str | None) -> None:
            if what == "edit":
                app.action_edit_site(site_id)
            elif what == "draft":
                self.action_draft(site_id)
            elif what == "documents":
                self.action_documents(site_id)

        app.push_screen(SiteDetailScreen(site_story(app.overview, assessment, app.rules)), then)

    def action_outreach_list(self) -> None:
        """Every follow-up and outreach task across sites; Enter goes to the site."""
        app = self._app()
        ov = app.overview
        if ov is None:
            return
        names = {a.site.doc_id or 0: a.site.name for a in ov.sites}

        def go(site_id: int | None) -> None:
            if site_id:
                app.go_to("usce", lambda: app.pane_screen.query_one("#sites", Sheet).select_key(str(site_id)))

        rates = rates_line(ov.snapshot.sites, ov.snapshot.inquiries)
        heading = f"as of {ov.today}" + (f"\n{rates}" if rates else "")
        app.push_screen(OutreachListScreen(ov.tasks, names, heading, ov.today), go)

    def action_retire(self, site_id: int) -> None:
        app = self._app()
        site = app.planner.site(site_id)

        def chosen(reason: str | None) -> None:
            if reason:
                app._do(lambda: app.planner.retire(site_id, reason))

        app.push_screen(
            ChoiceScreen(f"Retire {site.name}: it leaves the work list, kept. Why?", RETIRE_CHOICES), chosen
        )

    def action_snooze(self, inquiry_id: int) -> None:
        app = self._app()
        inquiry = app.planner.get(Inquiry, inquiry_id)
        if inquiry is None:
            return

        def snoozed(record: Any) -> None:
            if isinstance(record, Inquiry) and record.snoozed_until:
                until = record.snoozed_until
                app._do(lambda: app.planner.snooze(inquiry_id, until, record.snooze_reason))

        app._open_form(
            f"Snooze the follow-up of the e-mail sent {inquiry.sent}",
            Inquiry,
            snoozed,
            fields=["snoozed_until", "snooze_reason"],
            base=inquiry,
            initial={"snoozed_until": (app.today() + timedelta(days=7)).isoformat()},
        )
