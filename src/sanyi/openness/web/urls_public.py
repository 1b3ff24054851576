"""Public disclosure portal, mounted at /open/ (URL namespace "openness")."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from sanyi.core.pagecache import public_page
from sanyi.openness.feeds import UnitFeed
from sanyi.openness.sitemaps import PublicationSitemap
from sanyi.openness.web import board
from sanyi.openness.web import public as views

app_name = "openness"
urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.publication_list, name="list"),
    path("search/", views.search, name="search"),
    path("areas/<str:code>/", views.area_directory, name="area"),
    path("p/<int:pk>/", views.publication_detail, name="publication"),
    path("p/<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "p/<int:pk>/interpretations/<int:interpretation_id>/picture",
        views.interpretation_picture,
        name="interpretation_picture",
    ),
    *[
        path(
            f"p/<int:pk>/interpretations/<int:interpretation_id>/{part}",
            views.interpretation_media,
            {"part": part},
            name=f"interpretation_{part}",
        )
        for part in ("video", "captions", "poster")
    ],
    path("board/<str:ref>/", board.board, name="board"),
    path("board/<str:ref>/subscribe/", board.board_subscribe, name="board_subscribe"),
    path("board/p/<int:pk>/<str:size>.jpg", board.board_picture, name="board_picture"),
    path("units/<int:unit_id>/atom.xml", public_page()(UnitFeed()), name="unit_feed"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"publications": PublicationSitemap}},
        name="sitemap",
    ),
    path("annual-reports/", include("sanyi.annual_reports.web.urls_public")),
]
