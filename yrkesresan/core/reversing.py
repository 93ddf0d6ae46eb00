"""One URL reversal for a page's many rows.

`{% url %}` in a loop reverses the same pattern once per row (~25–50 µs each, most of a row's
time in a long list). `row_urls(name, *fixed)` reverses it once with a marker in place of the
last argument and returns a function that puts each row's value there: the same string
`reverse(name, args=[*fixed, value])` gives.

Only for a last argument whose converter writes it unchanged and that needs no quoting: an
integer (`<int:…>`) or a slug (`<slug:…>`), which is what every per-row URL of the project
ends in. `core/tests/test_reversing.py` checks it against `reverse`.
"""

from django.urls import reverse

# Digits, so that both int and slug converters accept it; long enough never to be a real id
# or number in the fixed part of an address.
_MARKER = "9081726354"


def row_urls(viewname, *fixed):
    """A function value -> reverse(viewname, args=[*fixed, value]), reversed once."""
    url = reverse(viewname, args=[*fixed, _MARKER])
    head, _, tail = url.rpartition(_MARKER)

    def url_for(value):
        return f"{head}{value}{tail}"

    return url_for
