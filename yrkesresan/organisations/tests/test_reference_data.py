import pytest
from django.core.management import CommandError, call_command

from yrkesresan.organisations.models import County, Municipality
from yrkesresan.organisations.reference_data import (
    ReferenceDataError,
    load_municipalities,
    parse_municipalities,
)

pytestmark = pytest.mark.django_db


def write(tmp_path, text):
    path = tmp_path / "kommuner.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_all_290_municipalities_in_21_counties_and_is_idempotent():
    first = load_municipalities()
    second = load_municipalities()
    assert (first.counties, first.municipalities, first.created) == (21, 290, 290)
    assert second.created == 0
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    eskilstuna = Municipality.objects.get(code="0484")
    assert (eskilstuna.name, eskilstuna.county.code) == ("Eskilstuna", "04")
    assert Municipality.objects.get(code="1881").name == "Kumla"


def test_codes_keep_their_leading_zeros():
    load_municipalities()
    assert Municipality.objects.filter(code="0114", name="Upplands Väsby").exists()
    assert County.objects.get(code="01").name == "Stockholms län"


def test_a_bad_file_names_every_bad_line_and_changes_nothing(tmp_path):
    path = write(
        tmp_path,
        "kommunkod,kommun,lanskod,lan\n"
        "0484,Eskilstuna,04,Södermanlands län\n"
        "484,Kortkod,04,Södermanlands län\n"
        "0483,Katrineholm,05,Södermanlands län\n"
        "0484,Dubblett,04,Södermanlands län\n"
        "1881,Kumla,18\n",
    )
    with pytest.raises(ReferenceDataError) as error:
        load_municipalities(path)
    problems = error.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert County.objects.count() == 0
    assert Municipality.objects.count() == 0


def test_a_county_with_two_names_is_refused(tmp_path):
    path = write(
        tmp_path,
        "kommunkod,kommun,lanskod,lan\n"
        "0484,Eskilstuna,04,Södermanlands län\n"
        "0483,Katrineholm,04,Sörmland\n",
    )
    with pytest.raises(ReferenceDataError, match="line 3: county 04"):
        parse_municipalities(path)


def test_a_wrong_header_is_refused(tmp_path):
    path = write(tmp_path, "code,name\n0484,Eskilstuna\n")
    with pytest.raises(ReferenceDataError, match="line 1"):
        parse_municipalities(path)


def test_the_command_reports_bad_lines_and_fails(tmp_path):
    path = write(tmp_path, "kommunkod,kommun,lanskod,lan\nabcd,Fel,04,Södermanlands län\n")
    with pytest.raises(CommandError, match=r"(?s)Nothing was loaded.*line 2"):
        call_command("load_reference_data", file=str(path))
    assert Municipality.objects.count() == 0


def test_a_partial_failure_after_writes_rolls_back(tmp_path, monkeypatch):
    """Loading is one transaction: an error half-way leaves the database as it was."""
    load_municipalities()
    path = write(
        tmp_path,
        "kommunkod,kommun,lanskod,lan\n0484,Eskilstuna stad,04,Södermanlands län\n"
        "0483,Katrineholm,04,Södermanlands län\n",
    )
    calls = {"n": 0}
    original = Municipality.objects.update_or_create

    def fail_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(Municipality.objects, "update_or_create", fail_on_second)
    with pytest.raises(RuntimeError):
        load_municipalities(path)
    assert Municipality.objects.get(code="0484").name == "Eskilstuna"
