"""Kunlu (昆路): the operating platform of a Chinese development zone."""

__version__ = "0.1.0"
