"""The write side: source files → paragraphs → articles → the index (BM25 + vectors), and the admin
library that publishes and deletes documents. `python -m ingest` runs the pipeline."""
