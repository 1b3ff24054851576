"""Public pages of appointments (URL namespace appointments)."""

from django.urls import path

from sanyi.appointments.web import public

app_name = "appointments"
urlpatterns = [
    path("", public.home, name="home"),
    path("centers/<int:pk>/", public.center, name="center"),
    path("mine/", public.mine, name="mine"),
    path("mine/<str:code>/", public.booking, name="booking"),
    path("mine/<str:code>/move/", public.move, name="move"),
    path("mine/<str:code>/cancel/", public.cancel, name="cancel"),
]
