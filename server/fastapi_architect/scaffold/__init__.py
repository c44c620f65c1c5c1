"""Scaffold engine: options → generated files (templates are real jinja2 files)."""
