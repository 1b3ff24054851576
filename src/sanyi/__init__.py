"""Sanyi (三一): open government and one-visit public services for a district."""

__version__ = "0.1.0"
