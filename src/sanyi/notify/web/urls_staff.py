"""Staff pages of the notify app, under /workbench/ (URL namespace workbench:notify)."""

from django.urls import path

from sanyi.notify.web import staff as views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/requeue/", views.delivery_requeue, name="requeue"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/new/", views.webhook_edit, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
