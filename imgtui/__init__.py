__version__ = "0.1.0"

# The one date rule, for help texts (the parser is records.parse_date).
DATE_RULE = (
    "dates: ISO (2026-03-05) or written forms (5 Mar 2026, March 5 2026); "
    "in an all-number date like 05/03/2026 the first number is the month (US order)"
)
