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
        "staffing:my_days", "staffing:plans", "evaluations:index", "reports:region_dashboard",
        "reports:nation_dashboard", "reports:mode_comparison", "colleagues:search",
        "reports:counties", "learning:staff", "accounts:staff_trail", "record:mine",
        "accounts:profile", "admin:index",
        "editor:workspace", "catalog:knowledge_bank",
    ]  # fmt: skip
    return {name: reverse(name) for name in names}


def _everyone(scope, user):
    return True


# The signed-in person's menu: (url name, label, whether the person may open the page). Each
# rule is the one its page's access check calls (Scope's may_… properties; the administration
# is Django's own check), so an item is shown exactly when its page opens for the person.
SIGNED_IN_MENU = [
    ("reports:term_overview", _("Course rounds"), lambda scope, user: scope.may_see_term_overview),
    ("reports:my_staff", _("My staff in the rounds"), lambda scope, user: scope.may_register_staff),
    ("staffing:my_days", _("My course days"), lambda scope, user: scope.may_see_own_course_days),
    ("staffing:plans", _("Trainer planning"), lambda scope, user: scope.may_plan_rounds),
    ("evaluations:index", _("Evaluations"), _everyone),
    (
        "reports:region_dashboard",
        _("The region in figures"),
        lambda scope, user: scope.may_plan_rounds,
    ),
    (
        "reports:nation_dashboard",
        _("The nation in figures"),
        lambda scope, user: scope.may_see_national_dashboard,
    ),
    (
        "reports:mode_comparison",
        _("Physical and digital"),
        lambda scope, user: scope.may_see_course_evaluations,
    ),
    ("colleagues:search", _("Colleagues"), _everyone),
    ("reports:counties", _("Organisations"), _everyone),
    ("learning:staff", _("Staff"), lambda scope, user: scope.may_see_staff_list),
    (
        "accounts:staff_trail",
        _("Log of personal data"),
        lambda scope, user: scope.may_see_staff_trail,
    ),
    ("record:mine", _("My record"), _everyone),
    ("catalog:knowledge_bank", _("Knowledge bank"), _everyone),
    ("accounts:profile", _("My profile"), _everyone),
    ("editor:workspace", _("Editors' workspace"), lambda scope, user: scope.may_edit_catalog),
    ("admin:index", _("Administration"), lambda scope, user: user.is_active and user.is_staff),
]


def navigation(request):
    """The main menu, built from what the user's roles give access to."""
    user = request.user
    url = _menu_urls(get_script_prefix(), get_urlconf())
    scope = scope_for(user)
    items = [(url["home:home"], _("Start")), (url["catalog:journeys"], _("Journeys"))]
    if user.is_authenticated:
        items += [(url[name], label) for name, label, may in SIGNED_IN_MENU if may(scope, user)]
    path = request.path
    menu = []
    for href, label in items:
        current = path == href if href == "/" else path.startswith(href)
        menu.append({"url": href, "label": label, "current": current})
    return {"main_menu": menu}
