"""Shared test helpers: builders and the throwaway PostgreSQL cluster."""
