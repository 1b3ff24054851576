"""Public catalogue routes, mounted at /services/ (URL namespace "catalog")."""

from django.urls import path

from sanyi.catalog.web import public as views
from sanyi.catalog.web import public_search

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue_home, name="home"),
    path("search/", public_search.search, name="search"),
    path("search/suggest/", public_search.search_suggest, name="search_suggest"),
    path("life-events/<int:pk>/", views.life_event, name="life_event"),
    path("export/catalog.json", views.export_catalog_json, name="export_json"),
    path("export/cpsv-ap.jsonld", views.export_cpsv_ap, name="export_cpsv_ap"),
    # Implementation codes are letters and digits (docs/catalog.md); last, so the fixed
    # paths above are never read as a code.
    path("<str:implementation_code>/", views.guide, name="guide"),
    path("<str:implementation_code>/eligibility/", views.eligibility, name="eligibility"),
    path("<str:implementation_code>/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("<str:implementation_code>/checklist.pdf", views.checklist_pdf, name="checklist_pdf"),
    path(
        "<str:implementation_code>/materials/<int:position>/<str:kind>/",
        views.material_download,
        name="material_file",
    ),
]
