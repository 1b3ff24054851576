"""API endpoints of the notify app (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.notify.api import views

urlpatterns = [
    path("notifications/", views.NotifyMessageListView.as_view(), name="notify-message-list"),
    path("notifications/read-all/", views.NotifyReadAllView.as_view(), name="notify-read-all"),
    path(
        "notifications/deliveries/",
        views.NotifyDeliveryListView.as_view(),
        name="notify-delivery-list",
    ),
    path(
        "notifications/deliveries/<int:pk>/requeue/",
        views.NotifyDeliveryRequeueView.as_view(),
        name="notify-delivery-requeue",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotifyMessageDetailView.as_view(),
        name="notify-message-detail",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotifyMessageReadView.as_view(),
        name="notify-message-read",
    ),
]
