"""The threshold of five against differencing, in one place for every app that publishes
figures from the evaluations (this app's pages, and the reports through reports.disclosure).

A measure is counted in *units*, the smallest groups any page breaks it down to. A unit of
fewer than THRESHOLD people is left out of every sum; a published figure is then a sum of
whole units of at least THRESHOLD people each, and so is the difference of any two of them:
no one can subtract their way down to fewer than THRESHOLD people. That holds only while
every page sums the same units of a measure, which is why the sums are made here.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F

# The smallest group whose figures, free-text answers or breakdown may be shown.
THRESHOLD = 5


def shown(people):
    """Whether a group of `people` may be shown on its own."""
    return people >= THRESHOLD


def published_totals(queryset, *, unit, key, counts, size):
    """Sum the units of `queryset` per `key`, leaving out the units too small to publish.

    `unit` and `key` are field paths of `queryset`'s model: the rows are counted per unit (the
    unit's fields and the key's together) with the aggregates `counts` ({name: aggregate});
    the count named `size` is the unit's number of people. Every unit of fewer than
    THRESHOLD people is left out.

    Returns {key: {name: total, …, "withheld": units left out}} for every key that has a unit,
    published or not; the key is a value, or a tuple of values for several fields. Two
    queries' worth of work in one: the units are grouped in a subquery and summed around it.
    """
    fields = {f"unit_{i}": F(path) for i, path in enumerate(unit)}
    keys = [f"key_{i}" for i in range(len(key))]
    fields.update({name: F(path) for name, path in zip(keys, key, strict=True)})
    units = queryset.order_by().values(**fields).annotate(**counts)
    connection = connections[units.db]
    try:
        inner, params = units.query.get_compiler(using=units.db).as_sql()
    except EmptyResultSet:
        return {}
    quote = connection.ops.quote_name
    big_enough = f"{quote(size)} >= %s"
    columns = ", ".join(quote(name) for name in keys)
    sums = [f"SUM(CASE WHEN {big_enough} THEN {quote(name)} ELSE 0 END)" for name in counts]
    withheld = f"SUM(CASE WHEN {big_enough} THEN 0 ELSE 1 END)"
    sql = (
        f"SELECT {columns}, {', '.join([*sums, withheld])} FROM ({inner}) units GROUP BY {columns}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [THRESHOLD] * (len(counts) + 1) + list(params))
        rows = cursor.fetchall()
    names = [*counts, "withheld"]
    width = len(keys)
    return {
        (row[0] if width == 1 else tuple(row[:width])): dict(
            zip(names, (int(value or 0) for value in row[width:]), strict=True)
        )
        for row in rows
    }
