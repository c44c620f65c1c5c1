"""The project's layers (api → services → models): findings where code breaks them, and fixes."""
