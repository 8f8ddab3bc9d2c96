"""``python -m communique`` runs the CLI."""

from communique.cli import main

if __name__ == "__main__":  # query workers are spawned processes: never rerun the CLI in them
    main()
