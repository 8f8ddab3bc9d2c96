"""Article readers, extraction and the mapping of extracted facts to RDF."""
