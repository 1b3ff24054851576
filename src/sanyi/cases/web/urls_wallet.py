"""The applicant's wallet, mounted at /my/wallet/ (URL namespace "wallet")."""

from django.urls import path

from sanyi.cases.web import wallet

app_name = "wallet"
urlpatterns = [
    path("", wallet.home, name="home"),
    path("consent/", wallet.consent, name="consent"),
]
