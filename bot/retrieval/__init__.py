"""Loading, chunking, indexing and hybrid search over the guidance."""
