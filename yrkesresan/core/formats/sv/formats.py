# One date format across the Swedish interface, tables, warnings and e-mails: "19 nov. 2026".
# N is the abbreviated month as Språkrådet writes it (jan., feb., mars, apr., maj, juni, juli,
# aug., sep., okt., nov., dec.): Django's "abbrev. month" names, translated in our own
# locale (see core/formats/months.py).
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
