"""The planning core: no Textual, no storage; dates and records in, advice out."""
