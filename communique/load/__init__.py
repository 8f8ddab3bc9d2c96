"""Loading articles into a store: the pipeline, its report, shards and clusters."""
