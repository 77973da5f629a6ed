"""Business rules, written once and called by the HTML views, the JSON API and the CLI."""


class ServiceError(Exception):
    """A request the rules refuse; `status` is the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409
