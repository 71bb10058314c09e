"""`python -m reseau_map …`."""

import sys

from .cli import main

sys.exit(main())
