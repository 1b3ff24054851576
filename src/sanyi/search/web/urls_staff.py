"""Staff pages of the search app, under /workbench/search/ (URL namespace workbench:search)."""

from django.urls import path

from sanyi.search.web import staff as views

app_name = "search"
urlpatterns = [
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/new/", views.synonym_edit, name="synonym_create"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/toggle/", views.synonym_toggle, name="synonym_toggle"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
    path("demand/", views.demand, name="demand"),
]
