"""`python -m regstudy`: the command line."""

import sys

from regstudy.cli import main

sys.exit(main())
