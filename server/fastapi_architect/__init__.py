"""FastAPI Architect: a language server and CLI for building FastAPI services."""

__version__ = "0.1.0"
