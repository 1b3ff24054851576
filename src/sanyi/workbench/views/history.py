from django.shortcuts import render

from sanyi.workbench.selectors import object_history


def object_history_page(request, object_type: str, object_id: str):
    history = object_history(viewer=request.user, object_type=object_type, object_id=object_id)
    return render(request, "workbench/history.html", {"history": history})
