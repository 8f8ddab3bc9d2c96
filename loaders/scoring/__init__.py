"""Deciding which candidate facts to assert: cues read off the parse, and a
learned, calibrated scorer that turns them into the probability a fact is right."""
