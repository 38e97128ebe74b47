"""How Agora writes dates in English: one way everywhere, day first, the month abbreviated,
24-hour time ("4 Dec 2026", "4 Dec 2026, 15:13"). Templates write a moment with
`{% moment %}` and a day with `|day` (core/templatetags/moments.py)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
