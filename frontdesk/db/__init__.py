"""Persistence: typed SQLAlchemy models, the engine, schema migrations and demo data."""
