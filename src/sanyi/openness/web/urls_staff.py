"""Staff pages of the openness app, under /workbench/open/ (URL namespace workbench:openness)."""

from django.urls import path

from sanyi.openness.web import board
from sanyi.openness.web import staff as pubs
from sanyi.openness.web import staff_directory as directory

app_name = "openness"
urlpatterns = [
    path("", pubs.home, name="home"),
    path("publications/", pubs.publication_list, name="publications"),
    path("publications/new/", pubs.publication_create, name="publication_create"),
    path("publications/reviews/", pubs.review_list, name="reviews"),
    path("publications/<int:pk>/", pubs.publication_detail, name="publication"),
    path("publications/<int:pk>/edit/", pubs.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/submit/", pubs.publication_submit, name="publication_submit"),
    path("publications/<int:pk>/review/", pubs.publication_review, name="publication_review"),
    path("publications/<int:pk>/publish/", pubs.publication_publish, name="publication_publish"),
    path("publications/<int:pk>/revoke/", pubs.publication_revoke, name="publication_revoke"),
    path("publications/<int:pk>/validity/", pubs.publication_validity, name="publication_validity"),
    path(
        "publications/<int:pk>/attachments/",
        pubs.publication_attachment,
        name="publication_attachment",
    ),
    path(
        "publications/<int:pk>/files/<int:attachment_id>/",
        pubs.publication_attachment_download,
        name="publication_file",
    ),
    path(
        "publications/<int:pk>/interpretations/",
        pubs.publication_interpretation,
        name="publication_interpretation",
    ),
    *[
        path(
            f"publications/<int:pk>/interpretations/<int:interpretation_id>/{part}",
            pubs.publication_interpretation_media,
            {"part": part},
            name=f"publication_interpretation_{part}",
        )
        for part in ("video", "captions", "poster")
    ],
    path("board/", board.board_post, name="board_post"),
    path("timeliness/", pubs.timeliness, name="timeliness"),
    path("directory/", directory.entry_list, name="entries"),
    path("directory/new/", directory.entry_create, name="entry_create"),
    path("directory/<int:pk>/edit/", directory.entry_edit, name="entry_edit"),
    path("directory/duplicates/", directory.duplicates, name="duplicates"),
    path("directory/export/", directory.directory_export, name="directory_export"),
    path("directory/import/", directory.directory_import, name="directory_import"),
    path(
        "directory/import/<str:token>/",
        directory.directory_import_preview,
        name="directory_import_preview",
    ),
    path(
        "directory/import/<str:token>/cancel/",
        directory.directory_import_cancel,
        name="directory_import_cancel",
    ),
    path("negative-list/", directory.negative_list, name="negative_list"),
    path("negative-list/new/", directory.negative_create, name="negative_create"),
    path("negative-list/<int:pk>/edit/", directory.negative_edit, name="negative_edit"),
]
