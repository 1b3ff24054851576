from django.shortcuts import render

from sanyi.workbench.navigation import visible_tiles
from sanyi.workbench.selectors import own_role_assignments


def home(request):
    assignments = own_role_assignments(viewer=request.user)
    tiles = visible_tiles(user=request.user, held_roles={a.role for a in assignments})
    return render(request, "workbench/home.html", {"assignments": assignments, "tiles": tiles})
