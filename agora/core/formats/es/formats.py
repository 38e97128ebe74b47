"""Cómo escribe Agora las fechas en español: de una sola manera, el día primero, el mes
abreviado en minúsculas y la hora de 24 horas ("4 dic 2026", "4 dic 2026, 15:13")."""

DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j b Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j b"
YEAR_MONTH_FORMAT = r"F \d\e Y"
