"""The HTTP API of API.md: ``create_app()`` builds it."""

from api.http.app import create_app

__all__ = ["create_app"]
