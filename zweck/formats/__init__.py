"""Zweck's own date and number formats per language (``FORMAT_MODULE_PATH``).

Django's English formats are American (month first, 12/2/2026); Zweck's users are European
businesses, so English writes the day first and the month as a word (2 Dec 2026, 14:30), and
typed dates are read day first. German keeps Django's formats, with a comma between the day
and the time (02.12.2026, 14:30). A setting not named here comes from Django's own module.
"""
