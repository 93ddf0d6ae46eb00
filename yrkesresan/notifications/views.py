from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yrkesresan.core.models import log_action

from . import calendar, queries, services
from .access import get_round_for_mail
from .models import CalendarFeed
from .recipients import calendar_days_for


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_settings(request):
    """The person's private calendar address, and a button that makes a new one."""
    feed = CalendarFeed.for_user(request.user)
    if request.method == "POST":
        feed.rotate()
        log_action(request.user, "calendar_feed.rotated", feed)
        messages.success(
            request, _("Your calendar has a new address. The old address has stopped working.")
        )
        return redirect("notifications:feed_settings")
    feed_url = request.build_absolute_uri(reverse("notifications:feed", args=[feed.token]))
    upcoming = calendar_days_for(request.user).filter(date__gte=timezone.localdate())
    return render(
        request,
        "notifications/feed_settings.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "days": upcoming,
        },
    )


@require_safe
def feed(request, token):
    """The calendar feed itself: no login, the token in the address is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        calendar.feed(list(calendar_days_for(feed.user))),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="yrkesresan.ics"'
    # A personal calendar: no shared caches, no search engines.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_safe
def round_mail(request, round_id):
    """The round's undelivered e-mail and its scheduled reminders, for its coordinator."""
    round, viewer = get_round_for_mail(request.user, round_id)
    today = timezone.localdate()
    return render(
        request,
        "notifications/round_mail.html",
        {
            "round": round,
            "viewer": viewer,
            "undelivered": queries.undelivered(round),
            "reminders": queries.scheduled_reminders(round, today),
            "today": today,
            "reminder_days": settings.REMINDER_DAYS_BEFORE,
        },
    )


@login_required
@require_POST
def resend(request, round_id):
    """Send the round's undelivered messages again (all, or the one named by `email`)."""
    round, _viewer = get_round_for_mail(request.user, round_id)
    email_id = request.POST.get("email")
    count = services.resend_undelivered(
        round, request.user, int(email_id) if email_id and email_id.isdigit() else None
    )
    messages.success(
        request,
        ngettext(
            "%(count)s message is queued again.", "%(count)s messages are queued again.", count
        )
        % {"count": count},
    )
    return redirect("notifications:round_mail", round.pk)


@login_required
@require_POST
def remind_now(request, round_id):
    """Send the reminder of one of the round's coming days now."""
    round, _viewer = get_round_for_mail(request.user, round_id)
    day_id = request.POST.get("day", "")
    if not day_id.isdigit():
        raise Http404
    count = services.remind_now(round, int(day_id), request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s reminder is on its way.", "%(count)s reminders are on their way.", count
        )
        % {"count": count},
    )
    return redirect("notifications:round_mail", round.pk)
