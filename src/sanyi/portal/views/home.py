from django.shortcuts import render

from sanyi.portal.selectors import home_directory


def home(request):
    return render(request, "portal/home.html", {"directory": home_directory()})
