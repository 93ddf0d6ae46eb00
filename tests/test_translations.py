"""The Swedish catalogue is complete, keeps its placeholders and is compiled.

Swedish is the default language, so an untranslated or fuzzy msgid shows English to users,
a lost or misspelt placeholder raises KeyError (or shows "%(name)s") at run time, and a
.po edited without running compilemessages changes nothing on the site.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Python %-format placeholders: %(name)s, %s, %d, %.1f ... ("%%" is a literal percent sign).
# The space flag is left out so that ordinary text such as "50 % sure" is not taken for one.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[#0+-]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text):
    """Named placeholders as a set, unnamed ones counted (their number matters)."""
    found = [match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", ""))]
    named = {p for p in found if p.startswith("%(")}
    unnamed = Counter(p for p in found if not p.startswith("%("))
    return named, unnamed


def label(entry):
    text = repr(entry.msgid)
    if entry.msgctxt:
        text = f"{text} (context {entry.msgctxt!r})"
    return text


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope="module")
def entries(po):
    return [entry for entry in po if not entry.obsolete]


def test_header_declares_swedish_with_two_plural_forms(po):
    assert po.metadata.get("Language") == "sv"
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


def has_empty_msgstr(entry):
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def test_every_msgid_is_translated(entries):
    untranslated = [label(entry) for entry in entries if entry.msgid and has_empty_msgstr(entry)]
    assert not untranslated, "Untranslated msgids:\n" + "\n".join(untranslated)


def test_no_fuzzy_entries(po, entries):
    fuzzy = [label(entry) for entry in entries if "fuzzy" in entry.flags]
    if getattr(po, "metadata_is_fuzzy", False):
        fuzzy.insert(0, "the header (msgid '')")
    assert not fuzzy, "Fuzzy entries (msgfmt leaves them out):\n" + "\n".join(fuzzy)


def test_translations_keep_the_placeholders(entries):
    problems = []
    for entry in entries:
        if entry.msgid_plural:
            # msgstr[0] is the singular form, every other form follows msgid_plural.
            pairs = [
                (f"msgstr[{index}]", translation, entry.msgid if index == 0 else entry.msgid_plural)
                for index, translation in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [("msgstr", entry.msgstr, entry.msgid)]
        for which, translation, source in pairs:
            if not translation:
                continue  # reported by test_every_msgid_is_translated
            expected, got = placeholders(source), placeholders(translation)
            if expected != got:
                problems.append(
                    f"{label(entry)}: {which} has {sorted(got[0]) + sorted(got[1].elements())}, "
                    f"expected {sorted(expected[0]) + sorted(expected[1].elements())}"
                )
    assert not problems, "Placeholders differ from the msgid:\n" + "\n".join(problems)


def catalogue(entries):
    """(context, msgid) -> what a compiled catalogue holds for it."""
    result = {}
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        if entry.msgid_plural:
            value = (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
        else:
            value = entry.msgstr
        result[(entry.msgctxt, entry.msgid)] = value
    return result


def test_compiled_mo_matches_the_po(entries):
    assert MO_PATH.exists(), (
        f"{MO_PATH} is missing: run manage.py compilemessages and commit the .mo file"
    )
    in_po = catalogue(
        entry for entry in entries if entry.translated() and "fuzzy" not in entry.flags
    )
    in_mo = catalogue(polib.mofile(str(MO_PATH)))
    problems = []
    for key in sorted(in_po.keys() | in_mo.keys(), key=lambda k: (k[1], k[0] or "")):
        context, msgid = key
        name = repr(msgid) + (f" (context {context!r})" if context else "")
        if key not in in_mo:
            problems.append(f"{name}: translated in the .po but missing from the .mo")
        elif key not in in_po:
            problems.append(f"{name}: in the .mo but not translated in the .po")
        elif in_po[key] != in_mo[key]:
            problems.append(f"{name}: .po has {in_po[key]!r}, .mo has {in_mo[key]!r}")
    assert not problems, "The .mo is out of date; run manage.py compilemessages:\n" + "\n".join(
        problems
    )
