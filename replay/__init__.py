"""A local stand-in for the CBS OData and PDOK WFS services, serving a mirror directory.

Not part of the product (not installed): tests and a developer drive the real clients
against it (``cbsodata`` and the project's WFS code, through the live code path), and
``python -m replay --root DIR`` serves a mirror by hand, with injectable faults
(:class:`Fault`). :mod:`replay.odata` answers the queries the way the live service does.
"""

from __future__ import annotations

from replay.server import Fault, ReplayServer, main

__all__ = ["Fault", "ReplayServer", "main"]
