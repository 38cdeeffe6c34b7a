__version__ = "0.1.0"

# The one date rule, for help texts (the parser is records.parse_date).
DATE_RULE = (
    "dates: ISO (2026-03-05) or written forms (5 Mar 2026, March 5 2026); "
    "in an all-number date like 05/03/2026 the first number is the month (US order)"
)

# Words a person types for a date, in the app's forms and on the command line (not in
# imported files, which have no "today" of their own); records.relative_day reads them.
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
