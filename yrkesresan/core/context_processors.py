from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yrkesresan.accounts.access import scope_for


def navigation(request):
    """The main menu, built from what the user's roles give access to."""
    user = request.user
    items = [(reverse("core:home"), _("Start")), (reverse("catalog:journeys"), _("Journeys"))]
    if user.is_authenticated:
        scope = scope_for(user)
        if scope.sees_staff or scope.trainer_structure_ids or scope.course_leader_structure_ids:
            items.append((reverse("rounds:term_overview"), _("Course rounds")))
        if scope.managed_unit_ids or scope.contact_municipality_ids:
            items.append((reverse("rounds:my_staff"), _("My staff in the rounds")))
        if scope.trainer_structure_ids or scope.course_leader_structure_ids:
            items.append((reverse("staffing:my_days"), _("My course days")))
        items.append((reverse("evaluations:index"), _("Evaluations")))
        items.append((reverse("colleagues:search"), _("Colleagues")))
        items.append((reverse("organisations:counties"), _("Organisations")))
        if scope.sees_staff:
            items.append((reverse("learning:staff"), _("Staff")))
        items.append((reverse("record:mine"), _("My record")))
        items.append((reverse("accounts:profile"), _("My profile")))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    menu = []
    for url, label in items:
        current = path == url if url == "/" else path.startswith(url)
        menu.append({"url": url, "label": label, "current": current})
    return {"main_menu": menu}
