"""The diplomacy ontology (Turtle), read with importlib.resources."""
