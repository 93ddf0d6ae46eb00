from django.shortcuts import render

from yrkesresan.catalog.models import Journey

from .dashboard import start_page_for


def home(request):
    """The start page: an introduction for visitors, the person's own overview when logged in."""
    if not request.user.is_authenticated:
        return render(request, "home/home_public.html", {"journeys": Journey.objects.all()})
    return render(request, "home/home.html", start_page_for(request.user))
