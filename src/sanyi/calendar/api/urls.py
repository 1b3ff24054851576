from django.urls import path

from sanyi.calendar.api import admin_views, views

urlpatterns = [
    path("calendar/days/", views.CalendarDaysView.as_view(), name="calendar-days"),
    path("calendar/workday/", views.CalendarWorkdayView.as_view(), name="calendar-workday"),
    path("calendar/deadline/", views.CalendarDeadlineView.as_view(), name="calendar-deadline"),
    path("calendar/between/", views.CalendarBetweenView.as_view(), name="calendar-between"),
    path(
        "calendar/admin/notices/",
        admin_views.CalendarNoticeListView.as_view(),
        name="calendar-admin-notices",
    ),
    path(
        "calendar/admin/notices/preview/",
        admin_views.CalendarNoticePreviewView.as_view(),
        name="calendar-admin-notice-preview",
    ),
    path(
        "calendar/admin/notices/<int:year>/",
        admin_views.CalendarNoticeDetailView.as_view(),
        name="calendar-admin-notice",
    ),
    path(
        "calendar/admin/changes/",
        admin_views.CalendarChangeListView.as_view(),
        name="calendar-admin-changes",
    ),
    path(
        "calendar/admin/days/preview/",
        admin_views.CalendarDayPreviewView.as_view(),
        name="calendar-admin-day-preview",
    ),
    path(
        "calendar/admin/days/",
        admin_views.CalendarDayCorrectView.as_view(),
        name="calendar-admin-days",
    ),
]
