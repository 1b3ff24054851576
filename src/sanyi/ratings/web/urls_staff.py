"""Staff pages of ratings (URL namespace workbench:ratings)."""

from django.urls import path

from sanyi.ratings.web import staff as views_staff

app_name = "ratings"
urlpatterns = [
    path("", views_staff.home, name="home"),
    path("all/", views_staff.rating_list, name="list"),
    path("stats/", views_staff.stats, name="stats"),
    path("rectifications/<int:pk>/", views_staff.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/<str:action>/",
        views_staff.rectification_action,
        name="rectification_action",
    ),
    path("pad/<str:number>/", views_staff.rating_pad, name="pad"),
]
