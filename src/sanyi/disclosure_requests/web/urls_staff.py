"""Staff pages of the disclosure_requests app (URL namespace workbench:disclosure_requests)."""

from django.urls import path

from sanyi.disclosure_requests.web import staff as views

app_name = "disclosure_requests"
urlpatterns = [
    path("", views.worklist, name="list"),
    path("overdue/", views.overdue, name="overdue"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/letter.pdf", views.letter, name="letter"),
    path("<int:pk>/files/<int:file_id>/", views.reply_file, name="reply_file"),
    path("<int:pk>/notices/<int:notice_id>.pdf", views.notice, name="notice"),
    path(
        "<int:pk>/appeals/<int:appeal_id>/conclude/", views.appeal_conclude, name="appeal_conclude"
    ),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
