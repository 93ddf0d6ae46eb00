"""Two published versions of the demo course, Handläggning med barnet i centrum.

Version 2.0 is the course as demo_content has it; version 2.1 changes day 2 and the first
preparation module after the new Social Services Act (SFS 2025:400), with a change note tied
to it. Published through catalog.services like an editor would. `seed_versions()` is
idempotent: once the course has its versions, seed_demo leaves its content to them.
"""

from yrkesresan.catalog.models import Course, CourseVersion, LegalReference
from yrkesresan.catalog.services import publish_draft, save_draft, start_draft

from . import content as demo_content

FIRST_NOTE = (
    "Kursen som den ges sedan hösten 2025: fyra kursdagar från aktualisering till "
    "uppföljning, med förberedelse och fördjupningsuppgift."
)
SECOND_NOTE = (
    "Anpassad till den nya socialtjänstlagen (SFS 2025:400), som gäller från den 1 juli 2025. "
    "Kursdag 2 tar nu upp lagens förebyggande perspektiv och insatser utan "
    "biståndsbedömning, och förberedelsemodulen om barnets bästa hänvisar till den nya lagens "
    "kapitel i stället för den gamla lagens paragrafer. Utbildare: läs igenom dag 2 före nästa "
    "kursdag."
)
DAY_TWO_THEME = "Den nya socialtjänstlagen: förebyggande arbete och insatser utan biståndsbedömning"
PREPARATION_ADDITION = (
    "\n\nI den nya socialtjänstlagen (SFS 2025:400) finns bestämmelsen om barnets bästa i "
    "lagens inledande kapitel. Läs kapitlet och jämför med hur du har sett principen "
    "tillämpas på din arbetsplats."
)


def seed_versions(slug=None, by=None):
    """The course's versions 2.0 and 2.1 (see the module's docstring): {number: version}."""
    course = Course.objects.get(slug=slug or demo_content.COURSES[0]["slug"])
    published = {v.number: v for v in course.versions.filter(status=CourseVersion.Status.PUBLISHED)}
    if "2.0" not in published:
        draft = start_draft(course, by=by)
        published["2.0"] = publish_draft(draft, by=by, number="2.0", change_note=FIRST_NOTE)
    if "2.1" not in published:
        draft = start_draft(course, by=by)
        content = dict(draft.content)
        content["day_plans"] = [dict(row) for row in content["day_plans"]]
        content["day_plans"][1]["themes"] += "\n" + DAY_TWO_THEME
        content["preparation"] = [dict(row) for row in content["preparation"]]
        content["preparation"][0]["body"] += PREPARATION_ADDITION
        draft = save_draft(draft, content, by=by, revision=draft.revision)
        published["2.1"] = publish_draft(
            draft,
            by=by,
            number="2.1",
            change_note=SECOND_NOTE,
            legal_reference=LegalReference.objects.get(sfs_number=demo_content.SOL_NEW),
        )
    return published
