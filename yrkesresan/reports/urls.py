from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("omgangar/", views.term_overview, name="term_overview"),
    path("omgangar/tidslinje/", views.timeline, name="timeline"),
    path("omgangar/kapacitet/", views.capacity, name="capacity"),
    path("omgangar/min-personal/", views.my_staff, name="my_staff"),
    path("omgangar/<int:pk>/avgifter.xlsx", views.fees_xlsx, name="fees_xlsx"),
    path("rapporter/fysiskt-digitalt/", views.mode_comparison, name="mode_comparison"),
    path(
        "rapporter/fysiskt-digitalt.xlsx", views.mode_comparison_xlsx, name="mode_comparison_xlsx"
    ),
    path("organisationer/", views.county_list, name="counties"),
    path("organisationer/lan/<str:code>/", views.county_detail, name="county"),
    path("organisationer/kommuner/<str:code>/", views.municipality_detail, name="municipality"),
]
