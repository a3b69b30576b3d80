"""Domain exceptions of the ETL; each message says what failed and what to do next."""

from __future__ import annotations


class EtlError(Exception):
    """Base class of errors that end a build; the store is left as it was."""


class ExtractError(EtlError):
    """A source could not be read: a service kept failing, timed out, or a file is missing.

    The message names the table and subtable (or PDOK layer) and the page or URL that failed.
    """


class SourceFormatError(EtlError):
    """A source answered, but not with what was expected: truncated JSON, a missing subtable,
    a changed schema, invalid codes or duplicate areas."""
