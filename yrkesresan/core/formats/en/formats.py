# English mode: the same day-month-year order as the Swedish interface ("19 Nov. 2026"), not the
# US month-first dates of Django's English defaults, and a 24-hour clock.
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
