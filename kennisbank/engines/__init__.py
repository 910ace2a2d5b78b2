"""Engine adapters: the only code that knows a site engine (MkDocs)."""
