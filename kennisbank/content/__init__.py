"""Content model: read, validate and enrich documents (no site, no engine)."""
