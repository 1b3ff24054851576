from django.urls import path

from sanyi.portal.views import errors

app_name = "portal"
urlpatterns: list = []
