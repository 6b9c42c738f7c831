"""The OpenAPI description of both dialects: component schemas, the operation registry and the
drf-spectacular hooks that put them together."""
