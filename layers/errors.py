"""Domain exceptions of :mod:`layers`; each message says what was wrong and what to do."""

from __future__ import annotations


class LayersError(Exception):
    """Base class of the errors :mod:`layers` raises on bad input."""


class RegistryError(LayersError):
    """The indicator registry is inconsistent; raised at import, so a bad record never ships."""


class UnknownIndicatorError(LayersError, KeyError):
    """An indicator id that the registry does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class MissingColumnError(LayersError, ValueError):
    """A frame lacks a column that the computation needs."""


class ScoringInputError(LayersError, ValueError):
    """Input that cannot be scored as asked: several years or levels, no rows, unknown
    group members, a reference that does not fit the groups."""


class UnknownAreaError(LayersError, KeyError):
    """An area code that the view (one year and niveau) does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PeerError(LayersError, ValueError):
    """Comparable areas cannot be found as asked: an unknown or non-context feature, a bad
    weight, or too few areas with every feature."""


class ChangeError(LayersError, ValueError):
    """A change between editions that cannot be computed as asked: an indicator neither
    edition carries, editions of different niveaus, bad class breaks."""
