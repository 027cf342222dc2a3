"""Retrieval: knowledge-base and product chunks, lexical (+ optional dense) search, reranking."""
