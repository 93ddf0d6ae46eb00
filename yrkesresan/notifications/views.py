from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from yrkesresan.core.models import log_action

from . import calendar
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
