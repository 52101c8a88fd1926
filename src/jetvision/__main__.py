"""``python -m jetvision`` (and ``torchrun -m jetvision``) runs the command line."""

from __future__ import annotations

import sys

from jetvision.cli import main

if __name__ == "__main__":
    sys.exit(main())
