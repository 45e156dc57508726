"""QA checks: small classes, one explicit registry (`registry.py`), run by `engine.py`."""
