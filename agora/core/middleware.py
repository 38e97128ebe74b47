"""Requests no view should see."""

from django.http import JsonResponse

from agora.core.views import page_not_found


class RejectNulInPathMiddleware:
    """No address of Agora has a NUL character in it, and PostgreSQL refuses one in any text
    it is asked to compare: a path with one is answered "not found" here, before a view looks
    it up and the database's refusal turns into a 500. (Forms and the API's schemas already
    refuse NUL in what is sent to them.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" not in request.path_info:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            from agora.core.api.errors import default_error

            code, message = default_error(404)
            return JsonResponse({"error": {"code": code, "message": message}}, status=404)
        return page_not_found(request, None)
