"""The stages composed: an input prepared (read, parsed, cleaned, extracted) and a batch
grouped and stored by the Ingestor (ingestor.ingest)."""
