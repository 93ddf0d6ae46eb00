from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from yrkesresan.accounts.access import scope_for


@lru_cache(maxsize=8)
def _menu_urls(script_prefix, urlconf):
    """The menu's addresses, reversed once per process (they never change while it runs; the
    arguments only key the cache for a process served under several prefixes)."""
    names = [
        "home:home", "catalog:journeys", "reports:term_overview", "reports:my_staff",
        "staffing:my_days", "evaluations:index", "colleagues:search", "reports:counties",
        "learning:staff", "record:mine", "accounts:profile", "admin:index",
    ]  # fmt: skip
    return {name: reverse(name) for name in names}


def navigation(request):
    """The main menu, built from what the user's roles give access to."""
    user = request.user
    url = _menu_urls(get_script_prefix(), get_urlconf())
    items = [(url["home:home"], _("Start")), (url["catalog:journeys"], _("Journeys"))]
    if user.is_authenticated:
        scope = scope_for(user)
        if scope.sees_staff or scope.trainer_structure_ids or scope.course_leader_structure_ids:
            items.append((url["reports:term_overview"], _("Course rounds")))
        if scope.managed_unit_ids or scope.contact_municipality_ids:
            items.append((url["reports:my_staff"], _("My staff in the rounds")))
        if scope.trainer_structure_ids or scope.course_leader_structure_ids:
            items.append((url["staffing:my_days"], _("My course days")))
        items.append((url["evaluations:index"], _("Evaluations")))
        items.append((url["colleagues:search"], _("Colleagues")))
        items.append((url["reports:counties"], _("Organisations")))
        if scope.sees_staff:
            items.append((url["learning:staff"], _("Staff")))
        items.append((url["record:mine"], _("My record")))
        items.append((url["accounts:profile"], _("My profile")))
        if user.is_staff:
            items.append((url["admin:index"], _("Administration")))
    path = request.path
    menu = []
    for href, label in items:
        current = path == href if href == "/" else path.startswith(href)
        menu.append({"url": href, "label": label, "current": current})
    return {"main_menu": menu}
