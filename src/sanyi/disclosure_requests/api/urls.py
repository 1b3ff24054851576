"""API endpoints of the disclosure_requests app (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.disclosure_requests.api import views

urlpatterns = [
    path(
        "disclosure-requests/",
        views.DisclosureRequestListView.as_view(),
        name="disclosure-request-list",
    ),
    path(
        "disclosure-requests/track/",
        views.DisclosureRequestTrackView.as_view(),
        name="disclosure-request-track",
    ),
    path(
        "disclosure-requests/track/letter/",
        views.DisclosureRequestTrackLetterView.as_view(),
        name="disclosure-request-track-letter",
    ),
    path(
        "disclosure-requests/track/notice/",
        views.DisclosureRequestTrackNoticeView.as_view(),
        name="disclosure-request-track-notice",
    ),
    path(
        "disclosure-requests/<int:pk>/notices/<int:notice_id>/",
        views.DisclosureRequestNoticeView.as_view(),
        name="disclosure-request-notice",
    ),
    path(
        "disclosure-requests/<int:pk>/",
        views.DisclosureRequestDetailView.as_view(),
        name="disclosure-request-detail",
    ),
    path(
        "disclosure-requests/<int:pk>/files/<int:file_id>/",
        views.DisclosureRequestReplyFileView.as_view(),
        name="disclosure-request-file",
    ),
    path(
        "disclosure-requests/<int:pk>/letter/",
        views.DisclosureRequestLetterView.as_view(),
        name="disclosure-request-letter",
    ),
    path(
        "disclosure-requests/appeals/<int:pk>/conclude/",
        views.DisclosureAppealConcludeView.as_view(),
        name="disclosure-appeal-conclude",
    ),
]
for _action, _view in views.ACTIONS.items():
    urlpatterns.append(
        path(
            f"disclosure-requests/<int:pk>/{_action}/",
            _view.as_view(),
            name=f"disclosure-request-{_action}",
        )
    )
