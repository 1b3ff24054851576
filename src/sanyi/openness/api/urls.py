from django.urls import path

from sanyi.openness.api import board, manage, views

urlpatterns = [
    path(
        "openness/publications/",
        views.OpennessPublicationListView.as_view(),
        name="openness-publication-list",
    ),
    path(
        "openness/publications/<int:pk>/",
        views.OpennessPublicationDetailView.as_view(),
        name="openness-publication-detail",
    ),
    path("openness/board/<str:ref>/", board.BoardView.as_view(), name="openness-board"),
    path(
        "openness/board/<str:ref>/subscription/",
        board.BoardSubscriptionView.as_view(),
        name="openness-board-subscription",
    ),
]

# Staff: directories, negative list and publications in the caller's org subtree.
urlpatterns += [
    path(
        "openness/manage/directory-entries/",
        manage.OpennessDirectoryEntryListView.as_view(),
        name="openness-manage-entry-list",
    ),
    path(
        "openness/manage/directory-entries/<int:pk>/",
        manage.OpennessDirectoryEntryDetailView.as_view(),
        name="openness-manage-entry-detail",
    ),
    path(
        "openness/manage/negative-list/",
        manage.OpennessNegativeEntryListView.as_view(),
        name="openness-manage-negative-list",
    ),
    path(
        "openness/manage/negative-list/<int:pk>/",
        manage.OpennessNegativeEntryDetailView.as_view(),
        name="openness-manage-negative-detail",
    ),
    path(
        "openness/manage/publications/",
        manage.OpennessPublicationStaffListView.as_view(),
        name="openness-manage-publication-list",
    ),
    path(
        "openness/manage/publications/<int:pk>/",
        manage.OpennessPublicationStaffDetailView.as_view(),
        name="openness-manage-publication-detail",
    ),
]
for _action, _view in (
    ("submit", manage.OpennessPublicationSubmitView),
    ("review", manage.OpennessPublicationReviewView),
    ("publish", manage.OpennessPublicationPublishView),
    ("revoke", manage.OpennessPublicationRevokeView),
    ("validity", manage.OpennessPublicationValidityView),
    ("attachments", manage.OpennessPublicationAttachmentView),
    ("interpretations", manage.OpennessPublicationInterpretationView),
):
    urlpatterns.append(
        path(
            f"openness/manage/publications/<int:pk>/{_action}/",
            _view.as_view(),
            name=f"openness-manage-publication-{_action}",
        )
    )
