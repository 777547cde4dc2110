"""`python -m ingest [PATH ...]`: entry point only; the work is in regstudy.ingestion."""

import sys

from regstudy.cli import ingest_main

sys.exit(ingest_main())
