"""The schema and Swagger UI views, answering their errors in JSON like every other /api/ path
(drf-spectacular's would render a wrong method's 405 as OpenAPI YAML, or an HTML page)."""

from django.http import Http404
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions

from config import envelopes

_MESSAGES = {404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable"}


class JSONErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, Http404):  # an unknown ?format=
            return envelopes.json_error(404, _MESSAGES[404], self.request)
        if not isinstance(exc, exceptions.APIException):
            return super().handle_exception(exc)
        message = _MESSAGES.get(exc.status_code, str(exc.detail))
        return envelopes.json_error(exc.status_code, message, self.request)


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JSONErrorsMixin, SpectacularSwaggerView):
    pass
