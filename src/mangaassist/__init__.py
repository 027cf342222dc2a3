"""MangaAssist: AI shopping assistant for a manga store, and the machinery to change it safely."""

__version__ = "0.1.0"
__all__ = ["__version__"]
