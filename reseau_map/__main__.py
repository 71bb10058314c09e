"""`python -m reseau_map …`."""

import sys

from reseau_map.cli import main

sys.exit(main())
