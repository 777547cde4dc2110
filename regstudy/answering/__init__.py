"""The answering service: a question routed (guard, 第N条 look-up, document facts, hybrid search),
the relevance decision, the extractive answer with verbatim quotes, and the optional LLM explanation."""
