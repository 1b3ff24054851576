"""The resident's offers, mounted at /my/offers/ (URL namespace "proactive_my")."""

from django.urls import path

from sanyi.proactive.web import resident

app_name = "proactive_my"
urlpatterns = [
    path("", resident.offers, name="offers"),
    path("settings/", resident.opt, name="opt"),
    path("<int:pk>/", resident.offer, name="offer"),
    path("<int:pk>/apply/", resident.apply, name="apply"),
    path("<int:pk>/confirm/", resident.confirm, name="confirm"),
]
