"""`python -m streams` is the `komhen` command."""

import sys

from streams.cli import main

sys.exit(main())
