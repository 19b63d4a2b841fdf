"""Qt item models: thin adapters from service DTOs to views, no database access in ``data()``."""
