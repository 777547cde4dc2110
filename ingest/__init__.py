"""`python -m ingest [PATH ...]`: build or update the knowledge-base index (see regstudy.ingestion)."""
