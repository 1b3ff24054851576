"""Public pages of ratings, under /ratings/ (namespace ratings)."""

from django.urls import path

from sanyi.ratings.web import public as views_public

app_name = "ratings"
urlpatterns = [
    path("", views_public.stats, name="stats"),
    path("rate/<str:number>/", views_public.rate, name="rate"),
]
