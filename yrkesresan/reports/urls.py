from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("omgangar/", views.term_overview, name="term_overview"),
    path("omgangar/tidslinje/", views.timeline, name="timeline"),
    path("omgangar/kapacitet/", views.capacity, name="capacity"),
    path("omgangar/min-personal/", views.my_staff, name="my_staff"),
    path("omgangar/<int:pk>/avgifter.xlsx", views.fees_xlsx, name="fees_xlsx"),
    path("rapporter/region/", views.region_dashboard, name="region_dashboard"),
    path("rapporter/region.xlsx", views.region_dashboard_xlsx, name="region_dashboard_xlsx"),
    path("rapporter/lan/<str:code>/", views.county_dashboard, name="county_dashboard"),
    path(
        "rapporter/lan/<str:code>.xlsx", views.county_dashboard_xlsx, name="county_dashboard_xlsx"
    ),
    path(
        "rapporter/kommun/<str:code>/",
        views.municipality_dashboard,
        name="municipality_dashboard",
    ),
    path(
        "rapporter/kommun/<str:code>.xlsx",
        views.municipality_dashboard_xlsx,
        name="municipality_dashboard_xlsx",
    ),
    path("rapporter/nationellt/", views.nation_dashboard, name="nation_dashboard"),
    path("rapporter/nationellt.xlsx", views.nation_dashboard_xlsx, name="nation_dashboard_xlsx"),
    path("rapporter/export/", views.export_start, name="export_start"),
    path("rapporter/export/<int:pk>/", views.export, name="export"),
    path("rapporter/export/<int:pk>/fil", views.export_file, name="export_file"),
    path("rapporter/fysiskt-digitalt/", views.mode_comparison, name="mode_comparison"),
    path(
        "rapporter/fysiskt-digitalt.xlsx", views.mode_comparison_xlsx, name="mode_comparison_xlsx"
    ),
    path("organisationer/", views.county_list, name="counties"),
    path("organisationer/lan/<str:code>/", views.county_detail, name="county"),
    path("organisationer/kommuner/<str:code>/", views.municipality_detail, name="municipality"),
]
