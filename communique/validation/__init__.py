"""SHACL validation: the shapes, and the fast batch path beside what it stands in for."""
