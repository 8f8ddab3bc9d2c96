"""The extraction rules, in the order they run (see ``communique.loaders.extract``)."""
