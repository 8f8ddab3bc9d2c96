"""``python -m communique`` runs the CLI."""

from communique.cli import main

main()
