"""English as written in Europe: day first, 24-hour clock, the week starting on Monday."""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Lists use the short formats: the month as a word keeps 2 Dec and 12 Feb apart for every reader.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1

# Typed dates are read day first (ISO 8601 is always understood as well).
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-02
    "%d/%m/%Y",  # 02/12/2026
    "%d/%m/%y",  # 02/12/26
    "%d %b %Y",  # 2 Dec 2026
    "%d %B %Y",  # 2 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
