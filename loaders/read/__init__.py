"""Reading articles from files and feeds."""
