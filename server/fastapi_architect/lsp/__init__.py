"""The language server: the only code that imports pygls and lsprotocol."""
