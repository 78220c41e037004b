"""Middleware of the project's own."""

from config.views import bad_request

NUL = "\x00"


class RejectNulBytes:
    """A NUL byte in the path, the query string or a form field is a 400 naming it, before
    any view runs: no text field of PostgreSQL can hold one (it would be a 500 wherever the
    value reaches a query), and no legitimate request carries one. Uploaded files may."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._nul_in(request)
        if where:
            return bad_request(request, None, nul_in=where)
        return self.get_response(request)

    @staticmethod
    def _nul_in(request) -> str:
        """The name of the parameter holding a NUL byte ("path" for the path), or ""."""
        if NUL in request.path:
            return "path"
        sources = [request.GET]
        if request.method == "POST":
            sources.append(request.POST)
        for source in sources:
            for key, values in source.lists():
                if NUL in key or any(NUL in value for value in values):
                    return key.replace(NUL, "")[:40] or "?"
        return ""
