"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer) found anywhere in a text, and the refusal to store one.

The platform identifies people by e-mail and never stores these numbers. A number is found
inside longer text, apart from the ASCII letters and digits around it, as 10 digits
(YYMMDD-NNNN, YYMMDD+NNNN for people over 100, or YYMMDDNNNN) or 12 digits (YYYYMMDD-NNNN or
YYYYMMDDNNNN), with a real date (a coordination number adds 60 to the day) and a correct check
digit (Luhn over the ten digits): a phone number or an order number passes unless it happens
to be shaped exactly like one, and a digest or a code of letters and digits never matches.

Every free-text field is checked with this rule at each edge (core/checked_text.py for forms
and for every save; imports check each cell and report it in the preview).
"""

import datetime
import re

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

# Digits not glued to other letters or digits (a hex digest or a code made of letters and
# digits holds no number), with an optional separator (-, + or a space) before the last four.
# \d would take Arabic-Indic and other digits too: only ASCII digits are numbers here.
CANDIDATE = re.compile(r"(?<![0-9A-Za-z])((?:[0-9]{2})?)([0-9]{6})[-+ ]?([0-9]{4})(?![0-9A-Za-z])")

MESSAGE = gettext_lazy(
    "%(field)s seems to contain a personal identity number (personnummer or "
    "samordningsnummer). They must not be stored here: remove the number."
)


def _luhn_ok(digits):
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _date_ok(century, yymmdd):
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if day > 60:  # a coordination number
        day -= 60
    centuries = [int(century)] if century else [19, 20]
    for hundreds in centuries:
        try:
            datetime.date(hundreds * 100 + year, month, day)
            return True
        except ValueError:
            continue
    return False


def contains_personnummer(text):
    """True if `text` holds a personnummer or samordningsnummer anywhere, with any separator."""
    if not isinstance(text, str) or len(text) < 10:
        return False
    for match in CANDIDATE.finditer(text):
        century, yymmdd, last = match.groups()
        if century and century not in ("18", "19", "20"):
            continue
        if _date_ok(century, yymmdd) and _luhn_ok(yymmdd + last):
            return True
    return False


def refusal(label):
    """The message for the field called `label` (its verbose name or label)."""
    return str(MESSAGE % {"field": capfirst(str(label))})
