"""The HTTP face of communique: a Flask app over one store (see ``app.create_app``)."""
