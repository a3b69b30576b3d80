"""``python -m replay``: serve a mirror directory like the CBS and PDOK services."""

from __future__ import annotations

import sys

from replay.server import main

sys.exit(main())
