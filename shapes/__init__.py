"""SHACL shapes for the diplomacy graph (Turtle), read with importlib.resources."""
