"""The fixture apps under ``fixtures/`` have their own test suites, run in their own venv."""

collect_ignore_glob = ["fixtures/*"]
