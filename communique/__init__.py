"""communique: a knowledge graph of diplomacy built from the news."""

__version__ = "0.1.0"
