"""Where the graph lives: the Store interface and its engines (see ``opening``)."""
