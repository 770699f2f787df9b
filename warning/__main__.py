"""``python -m warning`` runs the ``shitstorm`` command line."""

import sys

from warning.cli import main

sys.exit(main())
