"""The routes, one module per group of API.md paths."""
