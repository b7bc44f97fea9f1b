"""Evidence files: checking an upload, storing it, reading it back, and the pages that do so."""
