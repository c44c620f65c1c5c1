"""Pydantic V1 → V2 engine: source text → findings → minimal edits."""
