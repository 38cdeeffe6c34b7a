"""Command palette provider: the main actions of every pane, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, app action)
COMMANDS: list[tuple[str, str, str]] = [
    ("Go to Today", "What today asks for", "show_pane('today')"),
    ("Go to Profile", "Edit your profile and see the suggested target", "show_pane('profile')"),
    ("Go to Schedule", "Study plan, decision, chart and logs", "show_pane('schedule')"),
    ("Go to USCE tracker", "Rotation sites, inquiries and letters", "show_pane('usce')"),
    ("Log practice exam", "NBME, UWSA, Free 120 or AMBOSS score", "log_exam"),
    ("Log question-bank block", "Questions done and correct", "log_qbank"),
    ("Apply suggested exam date", "Re-plan on the date the decision suggests", "apply_suggested_date"),
    ("Add USCE site", "A new rotation site in the tracker", "add_site"),
    ("Log inquiry e-mail", "An e-mail sent to the selected site", "log_inquiry_selected"),
    ("Mark inquiry replied", "The selected site answered", "mark_reply_selected"),
    ("Add letter of recommendation", "A letter writer", "add_letter(0)"),
    ("Undo", "Undo the last change", "undo"),
    ("Help: keys", "Every key binding", "help"),
]


def profile_commands() -> list[tuple[str, str, str]]:
    """'Change exam date' and the like, one per profile field: found by a search, not
    listed when the palette opens (19 of them). Read when first searched: the records
    module is not imported before the first frame."""
    from ..records import Profile
    from .widgets.profile import PROFILE_FIELDS

    return [
        (
            f"Change {Profile.spec(name).label.lower()}",
            f"Profile: {Profile.spec(name).help}",
            f"change_profile_field('{name}')",
        )
        for name in PROFILE_FIELDS
    ]


class ImgtuiCommands(Provider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS + profile_commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self.app.run_action, action), text=title, help=help_text
                )

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), text=title, help=help_text)
