"""The index read side: the knowledge base in service, its generations on disk, BM25, the vector store
(the only Chroma module), the embedding model and article addressing (第N条 → unit)."""
