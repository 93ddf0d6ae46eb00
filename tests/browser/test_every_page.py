"""Every page a person reaches by following links passes axe-core (WCAG 2.2 AA) at 1280 and at
320 px wide, and at 320 px nothing scrolls sideways but a table region the keyboard can reach.

Each demo role starts at the start page and follows every link of ours (not the admin, the API
or the identity providers'), breadth first. A page is checked once per URL pattern: the first
role to reach it checks it; each role's start page is checked for that role. Every link a page
offers must answer without an error: a person is never sent to a 404, a 403 or a 500.
"""

from collections import deque
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

from .conftest import assert_accessible, log_in

# The roles in the order they walk: the widest views first, so that the later, narrower roles
# mostly find their pages checked already.
ROLES = [
    "admin@example.com",
    "samordnare@example.com",
    "kursansvarig@example.com",
    "utbildare1@example.com",
    "chef.eskilstuna@example.com",
    "kontakt.eskilstuna@example.com",
    "redaktor@example.com",
    "deltagare1@example.com",
]
# Not pages of ours to walk: Django's admin (its own test), the API (JSON), federated login
# (leaves for the identity provider), static files, and the way out.
NOT_WALKED = ("/admin/", "/api/", "/sso/", "/static/", "/media/", "/konto/logga-ut/", "/i18n/")
PHONE = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def links_on(page):
    """The same-site paths (with their query) that the page links to."""
    here = urlsplit(page.url)
    found = []
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        url = urlsplit(urljoin(page.url, href))
        ours = url.scheme in ("http", "https") and url.netloc == here.netloc
        if ours and not url.path.startswith(NOT_WALKED):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def pattern_of(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def problems_at_both_widths(page, path):
    """What is wrong with the page as it is now, at 1280 and then at 320 px wide."""
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        try:
            assert_accessible(page)
        except AssertionError as error:
            problems.append(f"at {size['width']} px: {error}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{path} scrolls sideways at 320 px ({width} px)")
    page.set_viewport_size(DESKTOP)
    return problems


def walk(page, role, checked, problems):
    """Follow every link from the start page; check each page whose pattern is new, adding
    what is wrong to `problems`; answer how many pages were checked."""
    queue, seen = deque(["/"]), {"/"}
    pages = 0
    while queue:
        path = queue.popleft()
        pattern = pattern_of(path)
        key = (pattern, role) if path == "/" else pattern
        if key in checked:
            continue
        checked.add(key)
        answer = page.request.get(path, max_redirects=0)
        if answer.status >= 400:
            problems.append(f"{role}: a link to {path} answers {answer.status}")
            continue
        if answer.status >= 300 or "text/html" not in answer.headers.get("content-type", ""):
            continue  # a download or a redirect: its target is a link of its own
        page.goto(path)
        problems.extend(f"{role}: {problem}" for problem in problems_at_both_widths(page, path))
        pages += 1
        for link in links_on(page):
            if link not in seen and pattern_of(link) is not None:
                seen.add(link)
                queue.append(link)
    return pages


def test_every_page_reached_by_links_is_accessible_at_both_widths(page, db_access):
    page.set_viewport_size(DESKTOP)
    checked, problems, walked = set(), [], {}
    for role in ROLES:
        log_in(page, role)
        walked[role] = walk(page, role, checked, problems)
    assert problems == [], "\n".join(problems)
    # The walk reaches the pages of the whole platform, not a handful.
    assert sum(walked.values()) >= 60, walked
    assert all(count >= 1 for count in walked.values()), walked


def test_public_pages_reached_by_links_are_accessible_at_both_widths(page):
    page.set_viewport_size(DESKTOP)
    problems = []
    assert walk(page, "anonymous", set(), problems) >= 5
    assert problems == [], "\n".join(problems)
