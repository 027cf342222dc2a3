"""Typed errors of store calls: every implementation (local, http, grpc) raises only these."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store-service failure."""

    code = "store_error"
    #: Whether the failure says something about the dependency's health (counts against breakers).
    counts_as_failure = True

    def __init__(self, message: str, *, service: str = "store") -> None:
        super().__init__(message)
        self.message = message
        self.service = service


class NotFound(StoreError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    code = "not_found"
    counts_as_failure = False


class InvalidArgument(StoreError):
    """The request was malformed, e.g. an id in the wrong format."""

    code = "invalid_argument"
    counts_as_failure = False


class Unavailable(StoreError):
    """The dependency could not be reached or answered 5xx."""

    code = "unavailable"


class StoreTimeout(StoreError):
    """The dependency did not answer within the per-call timeout."""

    code = "timeout"


class BadResponse(StoreError):
    """The dependency answered with something that is not a valid response."""

    code = "bad_response"


class CircuitOpen(StoreError):
    """The dependency's circuit breaker is open; the call was not attempted."""

    code = "circuit_open"
    counts_as_failure = False
