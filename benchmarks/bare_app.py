"""The start-up baseline: a bare Textual app showing one Static, quit after its first frame."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("imgtui benchmark baseline")

    def post_display_hook(self) -> None:
        self.exit()


if __name__ == "__main__":
    BareApp().run(headless=True)
