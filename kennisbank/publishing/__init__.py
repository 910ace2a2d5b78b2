"""Publishing: atomic builds, the search index, security headers and compression."""
