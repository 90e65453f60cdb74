"""ServiceError tree and the one handler that turns errors into `{"error": {code, message}}`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class ServiceError(Exception):
    """An error a client should see, with a stable machine-readable code.

    Each kind names its HTTP status and code in its class line:
    `class NotFound(ServiceError, status=404, code="not_found")`.
    """

    status_code = 400
    code = "bad_request"

    def __init_subclass__(cls, *, status: int, code: str, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.status_code, cls.code = status, code

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(ServiceError, status=404, code="not_found"):
    """The thing asked for does not exist (or is not the caller's to see)."""


class InvalidParameter(ServiceError, status=422, code="invalid_parameter"):
    """A parameter or body field is out of range or malformed."""


class Unauthorized(ServiceError, status=401, code="unauthorized"):
    """No key, or a key that is unknown, revoked or expired."""


class Forbidden(ServiceError, status=403, code="forbidden"):
    """The key is valid but its role may not do this."""


class Conflict(ServiceError, status=409, code="conflict"):
    """The request clashes with what is stored (a duplicate, a stale state)."""


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    }},
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_DOCUMENTED_PREFIXES = ("/api/", "/feeds/")  # /healthz, /readyz, /metrics answer in their own shapes


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def document_errors(spec: dict) -> dict:
    """Make the OpenAPI document tell the truth about errors: a 422 is the error envelope (not
    FastAPI's `{"detail": [...]}`), and every other error status (401, 403, 404, 409, 413, 429...)
    is documented as a `default` answer with the same envelope. Idempotent; returns `spec`."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path, item in spec.get("paths", {}).items():
        if not path.startswith(_DOCUMENTED_PREFIXES):
            continue
        for operation in item.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if responses is None:
                continue
            if "422" in responses:
                responses["422"] = _error_response("Invalid parameter or body")
            responses.setdefault("default", _error_response(
                "Error: 401 unauthorized, 403 forbidden, 404 not found, 409 conflict, "
                "413 body too large, 429 rate limited"))
    text = str(spec.get("paths", {}))
    for unused in ("HTTPValidationError", "ValidationError"):
        if f"/{unused}'" not in text:
            schemas.pop(unused, None)
    return spec


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves the API in the same shape (DESIGN.md §6), and the OpenAPI document
    says so (`document_errors`)."""
    build_openapi = app.openapi

    def openapi() -> dict:
        return document_errors(build_openapi())

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status_code,
                            headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return JSONResponse(error_body("invalid_parameter", "; ".join(parts)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("internal_error", "Internal server error; see the server log."),
                            status_code=500)
