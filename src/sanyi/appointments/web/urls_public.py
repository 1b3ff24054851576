"""Public pages of appointments (URL namespace appointments)."""

from django.urls import path

from sanyi.appointments.web import phone, public

app_name = "appointments"
urlpatterns = [
    path("", public.home, name="home"),
    path("centers/<int:pk>/", public.center, name="center"),
    path("mine/", public.mine, name="mine"),
    path("mine/<str:code>/", public.booking, name="booking"),
    path("mine/<str:code>/move/", public.move, name="move"),
    path("mine/<str:code>/cancel/", public.cancel, name="cancel"),
    path("centers/<int:pk>/phone/", phone.book, name="phone_book"),
    path("phone/", phone.find, name="phone_find"),
    path("phone/<str:code>/", phone.booking, name="phone_booking"),
    path("phone/<str:code>/code/", phone.send_code, name="phone_send_code"),
    path("phone/<str:code>/move/", phone.move, name="phone_move"),
    path("phone/<str:code>/cancel/", phone.cancel, name="phone_cancel"),
]
