"""The applicant's own area under /my/: sign-in, profile, inbox, own cases and requests."""

from django.urls import path

from sanyi.applicants.web import public as views

app_name = "applicants"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("register/", views.register, name="register"),
    path("login/code/", views.verify, name="verify"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/phone/", views.phone_change, name="phone_change"),
    path("profile/phone/confirm/", views.phone_change_confirm, name="phone_change_confirm"),
    path("profile/wallet-consent/", views.wallet_consent, name="wallet_consent"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/read-all/", views.inbox_mark_all_read, name="inbox_read_all"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path(
        "authorisations/<int:pk>/document/",
        views.authorisation_document,
        name="authorisation_document",
    ),
]
