"""Weights of the scorers, written by ``bench/train_scorer.py`` (see its README section)."""
