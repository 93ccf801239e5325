"""German: Django's formats, with a comma between the day and the time (02.12.2026, 14:30)."""

DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
