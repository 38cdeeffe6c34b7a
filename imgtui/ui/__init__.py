"""The Textual UI: thin screens and widgets over the store and the planning core."""
