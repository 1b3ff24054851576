from django.urls import path

from sanyi.portal.views import home, login

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("area/", home.area, name="area"),
    path("centers/", home.centers, name="centers"),
    path("login/", login.staff_login, name="login"),
    path("login/verify/", login.login_otp, name="login_otp"),
    path("login/authenticator/", login.otp_setup, name="otp_setup"),
    path("logout/", login.staff_logout, name="logout"),
]
