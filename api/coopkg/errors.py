"""Domain errors. Each carries its HTTP status and a problem type; the app maps them to responses in one
place (RFC 9457 problem details), and the CLI prints them as one line.
Messages say what went wrong, where, and how to fix it.
"""

from __future__ import annotations


class CoopkgError(Exception):
    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class BadRequest(CoopkgError):
    status, slug, title = 400, "bad-request", "Bad request"


class QuerySyntaxError(BadRequest):
    slug, title = "query-syntax", "Malformed SPARQL query"


class UpdateRefused(BadRequest):
    status, slug, title = 400, "update-refused", "This endpoint is read-only"


class ServiceNotAllowed(BadRequest):
    status, slug, title = 403, "service-not-allowed", "SERVICE endpoint not allowed"


class NotFound(CoopkgError):
    status, slug, title = 404, "not-found", "Not found"


class NotAcceptable(CoopkgError):
    status, slug, title = 406, "not-acceptable", "No acceptable representation"


class PayloadTooLarge(CoopkgError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(CoopkgError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class InvalidParameter(CoopkgError):
    status, slug, title = 422, "invalid-parameter", "Invalid parameter"


class ClientConcurrencyLimit(CoopkgError):
    """One client has COOPKG_CLIENT_CONCURRENCY requests with queries waiting or running already."""

    # Members added to the problem document: the limit's name, its value, seconds until it resets.
    extensions: dict[str, object]

    status, slug, title = 429, "client-concurrency-limit", "Too many queries at once from this client"


class ClientBudgetExhausted(CoopkgError):
    """One client used its COOPKG_CLIENT_BUDGET of worker time per minute."""

    extensions: dict[str, object]

    status, slug, title = 429, "client-budget-exhausted", "This client's query time per minute is used up"


class UntrustedHost(BadRequest):
    """The request's Host is neither COOPKG_PUBLIC_URL's nor one of COOPKG_ALLOWED_HOSTS."""

    slug, title = "host-not-allowed", "Host not served here"


class QueueFull(CoopkgError):
    """Every worker is busy and COOPKG_QUEUE_LIMIT queries already wait."""

    status, slug, title = 503, "queue-full", "Too many queries are waiting"


class QueryDefinitionError(CoopkgError):
    """A named query file (`queries/*.rq`) is malformed: a packaging defect, reported with file and line."""

    status, slug, title = 500, "query-definition", "Malformed named query"


class BadGateway(CoopkgError):
    status, slug, title = 502, "bad-gateway", "The backing store gave a bad answer"


class StoreUnavailable(CoopkgError):
    status, slug, title = 503, "store-unavailable", "The backing store is unavailable"


class QueryTimeout(CoopkgError):
    status, slug, title = 503, "query-timeout", "Query stopped at the time limit"


class WorkerDied(StoreUnavailable):
    """The worker process evaluating a query died (native crash, OOM killer); it has been replaced."""

    slug, title = "worker-died", "The query engine stopped unexpectedly"


class ValidationTimeout(CoopkgError):
    """A validation ran past COOPKG_VALIDATE_TIMEOUT: its process was killed (the CPU is free again)."""

    status, slug, title = 503, "validation-timeout", "Validation stopped at the time limit"


class ValidatorBusy(CoopkgError):
    """Too many uploads are already waiting for the validation process; refused before the body is read."""

    status, slug, title = 503, "validator-busy", "The validator is busy"


class UnusableInput(CoopkgError):
    """Input a command cannot use at all (missing file, unknown format, syntax error): validate exits 2."""

    status, slug, title = 400, "unusable-input", "Unusable input"
