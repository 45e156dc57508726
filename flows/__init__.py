"""Prefect flows: thin orchestration over the medloc library (no business logic here)."""
