"""Use cases joining the domain with files, storage, PDFs and sync (no Qt)."""
