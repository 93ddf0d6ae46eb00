"""The editors' workspace: an editor writes their journey's course in a draft, previews it as a
participant would see it, and publishes it; script in rich text never reaches a page; other
journeys' editors and everyone else get 404."""

from html.parser import HTMLParser

from django.urls import reverse

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.catalog.models import CourseVersion
from yrkesresan.catalog.services import draft_of, save_draft, start_draft
from yrkesresan.catalog.versions import snapshot
from yrkesresan.core.rich_text import render
from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person

SCRIPTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    '<a href="javascript:alert(1)">klicka</a>',
    "<iframe src=https://evil.example></iframe>",
]


class ActiveContent(HTMLParser):
    """What in a page could run: script-like elements, event handlers, javascript: links."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "img", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


EXTRA_ROW_FIELDS = {
    "goals": ["id", "kind", "text"],
    "preparation": ["id", "title", "kind", "goal", "motivation", "estimated_minutes", "body",
                    "url"],
    "day_plans": ["id", "number", "title", "themes", "trainers", "team"],
    "deep_dive_tasks": ["id", "title", "instructions"],
}  # fmt: skip


def posted(content, revision=0, **changes):
    """The edit form's POST data for `content` with `changes` ({"prefix-0-field": value})."""
    data = {"revision": str(revision)}
    for name in ("title", "summary", "target_group", "course_days"):
        data[f"course-{name}"] = str(content[name] or "")
    data["course-legal_references"] = [str(pk) for pk in content["legal_references"]]
    for key in ("goals", "preparation", "day_plans", "deep_dive_tasks"):
        rows = content[key]
        data[f"{key}-TOTAL_FORMS"] = str(len(rows) + 1)
        data[f"{key}-INITIAL_FORMS"] = str(len(rows))
        for n, row in enumerate(rows):
            for name, value in row.items():
                data[f"{key}-{n}-{name}"] = "" if value is None else str(value)
        # The empty extra row as a browser posts it: every field empty, selects on "–".
        for name in EXTRA_ROW_FIELDS[key]:
            data[f"{key}-{len(rows)}-{name}"] = ""
    data.update(changes)
    return data


class WorkspaceTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elderly_editor = make_person("redaktor.aldre@example.com", is_staff=True)
        RoleAssignment.objects.create(
            user=cls.elderly_editor, role="national_editor", journey=cls.elderly_journey
        )
        cls.edit_url = reverse("editor:edit", args=[cls.course.slug])

    def test_the_editor_saves_a_draft_and_participants_still_see_the_published_course(self):
        self.login(self.editor)
        data = posted(snapshot(self.course), **{"day_plans-1-title": "Utredning enligt nya SoL"})
        response = self.client.post(self.edit_url, data)
        self.assertRedirects(response, self.edit_url)
        draft = draft_of(self.course)
        self.assertEqual(draft.content["day_plans"][1]["title"], "Utredning enligt nya SoL")
        self.assertEqual(self.course.day_plans.get(number=2).title, "Utredning")
        preview = self.client.get(reverse("editor:preview", args=[self.course.slug]))
        self.assertContains(preview, "Utredning enligt nya SoL")

    def test_a_new_row_is_added_and_a_deleted_row_removed(self):
        self.login(self.editor)
        data = posted(
            snapshot(self.course),
            **{"goals-1-kind": "fardighet", "goals-1-text": "Kunna föra barnsamtal",
               "deep_dive_tasks-0-DELETE": "on"},
        )  # fmt: skip
        self.assertEqual(self.client.post(self.edit_url, data).status_code, 302)
        draft = draft_of(self.course)
        self.assertEqual([g["text"] for g in draft.content["goals"]],
                         ["Känna till socialtjänstlagen", "Kunna föra barnsamtal"])  # fmt: skip
        self.assertEqual(draft.content["deep_dive_tasks"], [])

    def test_a_save_from_a_stale_form_is_refused_and_the_newer_draft_kept(self):
        draft = start_draft(self.course, by=self.admin)
        content = dict(draft.content, title="Ny titel")
        save_draft(draft, content, by=self.admin, revision=0)
        self.login(self.editor)
        response = self.client.post(self.edit_url, posted(snapshot(self.course), revision=0))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(draft_of(self.course).content["title"], "Ny titel")

    def test_bad_input_is_refused_with_the_form_again(self):
        self.login(self.editor)
        data = posted(snapshot(self.course), **{"preparation-0-estimated_minutes": "-3"})
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(draft_of(self.course))

    def test_the_editor_sets_how_each_day_is_staffed(self):
        self.login(self.editor)
        changes = {}
        for n in range(4):
            changes.update({f"day_plans-{n}-trainers": "3", f"day_plans-{n}-team": "1"})
        response = self.client.post(self.edit_url, posted(snapshot(self.course), **changes))
        self.assertRedirects(response, self.edit_url)
        rows = draft_of(self.course).content["day_plans"]
        self.assertEqual([(row["trainers"], row["team"]) for row in rows], [(3, 1)] * 4)

    def test_days_of_one_team_asking_for_different_numbers_of_trainers_are_refused(self):
        self.login(self.editor)
        data = posted(snapshot(self.course), **{"day_plans-1-trainers": "3"})  # day 2, team 1
        response = self.client.post(self.edit_url, data)
        self.assertContains(
            response, "Dagarna för team 1 ber om olika antal utbildare", status_code=400
        )
        draft = draft_of(self.course)
        self.assertTrue(draft is None or draft.content["day_plans"][1]["trainers"] == 4)

    def test_no_script_in_rich_text_survives_to_the_preview(self):
        self.login(self.editor)
        for script in SCRIPTS:
            with self.subTest(script=script):
                data = posted(
                    snapshot(self.course),
                    revision=getattr(draft_of(self.course), "revision", 0),
                    **{"course-summary": f"Om kursen {script}",
                       "preparation-0-body": f"Läs detta {script}"},
                )  # fmt: skip
                self.assertEqual(self.client.post(self.edit_url, data).status_code, 302)
                page = self.client.get(reverse("editor:preview", args=[self.course.slug]))
                html = page.content.decode()
                main = html[html.index("<main") :]  # the layout's own scripts are not content
                self.assertEqual(ActiveContent(main).found, [])
                self.assertIn("Om kursen", html)

    def test_markdown_becomes_safe_html(self):
        html = render("**viktigt** och [länk](https://example.se)\n\n- ett\n- två")
        self.assertIn("<strong>viktigt</strong>", html)
        self.assertIn('<a href="https://example.se" rel="noopener noreferrer nofollow">', html)
        self.assertIn("<li>två</li>", html)
        for script in SCRIPTS:
            with self.subTest(script=script):
                self.assertEqual(ActiveContent(render(script)).found, [])

    def test_the_editor_publishes_the_draft_with_a_change_note(self):
        self.login(self.editor)
        day_two = {"day_plans-1-title": "Utredning 2025"}
        self.client.post(self.edit_url, posted(snapshot(self.course), **day_two))
        url = reverse("editor:publish", args=[self.course.slug])
        page = self.client.get(url)
        self.assertContains(page, "Utredning 2025")
        self.assertContains(page, 'value="1.1"')
        response = self.client.post(url, {"number": "1.1", "change_note": "Nya SoL."})
        self.assertRedirects(response, reverse("editor:versions", args=[self.course.slug]))
        self.course.refresh_from_db()
        self.assertEqual(self.course.version, "1.1")
        self.assertEqual(self.course.day_plans.get(number=2).title, "Utredning 2025")

    def test_versions_compare_on_the_versions_page(self):
        self.login(self.editor)
        url = reverse("editor:publish", args=[self.course.slug])
        self.client.post(self.edit_url, posted(snapshot(self.course)))
        self.client.post(url, {"number": "1.0", "change_note": "Först."})
        day_two = {"day_plans-1-title": "Utredning 2025"}
        self.client.post(self.edit_url, posted(snapshot(self.course), **day_two))
        self.client.post(url, {"number": "1.1", "change_note": "Sedan."})
        old, new = CourseVersion.objects.order_by("published_at")
        page = self.client.get(
            reverse("editor:versions", args=[self.course.slug]), {"fran": old.pk, "till": new.pk}
        )
        self.assertContains(page, "Utredning 2025")
        self.assertContains(page, "<del>", html=False)

    def test_other_journeys_editors_and_everyone_else_get_404(self):
        urls = [reverse(f"editor:{name}", args=[self.course.slug])
                for name in ("edit", "preview", "publish", "versions")]  # fmt: skip
        for person in [self.elderly_editor, self.coordinator_x, self.participant]:
            self.login(person)
            for url in urls:
                with self.subTest(person=person.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(self.edit_url, posted(snapshot(self.course))).status_code,
                         404)  # fmt: skip
        self.assertIsNone(draft_of(self.course))

    def test_the_workspace_lists_only_the_editors_courses(self):
        self.login(self.elderly_editor)
        page = self.client.get(reverse("editor:workspace"))
        self.assertNotContains(page, self.course.title)
        self.login(self.editor)
        self.assertContains(self.client.get(reverse("editor:workspace")), self.course.title)
        self.login(self.participant)
        self.assertEqual(self.client.get(reverse("editor:workspace")).status_code, 403)

    def test_the_edit_page_reads_as_many_queries_however_many_rows(self):
        self.login(self.editor)
        self.assertEqual(count_queries(self.client, self.edit_url), 10)  # the course's rows
        self.client.post(self.edit_url, posted(snapshot(self.course)))
        self.assertEqual(count_queries(self.client, self.edit_url), 5)  # the draft
        rows = {"goals-1-kind": "fakta", "goals-1-text": "Ett mål till"}
        self.client.post(self.edit_url, posted(draft_of(self.course).content, revision=1, **rows))
        self.assertEqual(len(draft_of(self.course).content["goals"]), 2)
        self.assertEqual(count_queries(self.client, self.edit_url), 5)
