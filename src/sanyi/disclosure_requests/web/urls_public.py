"""Public pages of the disclosure_requests app, mounted at /open/requests/."""

from django.urls import path

from sanyi.disclosure_requests.web import public as views

app_name = "disclosure_requests"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("track/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("r/<str:number>/", views.status, name="status"),
    path("r/<str:number>/submitted/", views.submitted, name="submitted"),
    path("r/<str:number>/correction/", views.correction, name="correction"),
    path("r/<str:number>/letter.pdf", views.letter, name="letter"),
    path("r/<str:number>/files/<int:file_id>/", views.reply_file, name="reply_file"),
    path("r/<str:number>/notices/<int:notice_id>.pdf", views.notice, name="notice"),
]
