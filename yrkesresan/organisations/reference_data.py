"""Loading the counties and municipalities of Sweden from the shipped CSV file.

The file has the columns kommunkod,kommun,lanskod,lan (see data/SOURCES.md). Loading is
idempotent: rows are matched on their codes, names are updated, nothing is deleted. A file
with any bad line changes nothing and the error names every bad line.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from yrkesresan.core.errors import DomainError

from .models import County, Municipality

MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "kommuner.csv"
COLUMNS = ["kommunkod", "kommun", "lanskod", "lan"]


class ReferenceDataError(DomainError):
    """A file that cannot be loaded: `problems` names every bad line (in English, for the
    command that loads it); str() gives one a line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadResult:
    counties: int
    municipalities: int
    created: int


def parse_municipalities(path):
    """Return validated rows as dicts; raise ReferenceDataError listing every bad line."""
    problems = []
    rows = []
    county_names = {}
    seen_codes = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != COLUMNS:
            raise ReferenceDataError(
                [f"line 1: expected the header {','.join(COLUMNS)}, got {','.join(header or [])}"]
            )
        for line_number, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) != len(COLUMNS):
                problems.append(f"line {line_number}: expected 4 fields, got {len(fields)}")
                continue
            code, name, county_code, county_name = (f.strip() for f in fields)
            if not re.fullmatch(r"\d{4}", code):
                problems.append(f"line {line_number}: kommunkod {code!r} is not four digits")
            elif not re.fullmatch(r"\d{2}", county_code) or code[:2] != county_code:
                problems.append(
                    f"line {line_number}: lanskod {county_code!r} does not match kommunkod {code}"
                )
            elif code in seen_codes:
                problems.append(
                    f"line {line_number}: kommunkod {code} repeats line {seen_codes[code]}"
                )
            elif county_names.setdefault(county_code, county_name) != county_name:
                problems.append(
                    f"line {line_number}: county {county_code} is called "
                    f"{county_names[county_code]!r} earlier, not {county_name!r}"
                )
            if not name:
                problems.append(f"line {line_number}: the municipality has no name")
            if not county_name:
                problems.append(f"line {line_number}: the county has no name")
            seen_codes.setdefault(code, line_number)
            rows.append(
                {"code": code, "name": name, "county_code": county_code, "county_name": county_name}
            )
    if problems:
        raise ReferenceDataError(problems)
    if not rows:
        raise ReferenceDataError(["the file holds no municipalities"])
    return rows


@transaction.atomic
def load_municipalities(path=MUNICIPALITIES_CSV):
    rows = parse_municipalities(path)
    counties = {}
    for row in rows:
        if row["county_code"] not in counties:
            counties[row["county_code"]], _ = County.objects.update_or_create(
                code=row["county_code"], defaults={"name": row["county_name"]}
            )
    existing = set(Municipality.objects.values_list("code", flat=True))
    for row in rows:
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "county": counties[row["county_code"]]},
        )
    return LoadResult(
        counties=len(counties),
        municipalities=len(rows),
        created=len({row["code"] for row in rows} - existing),
    )
