"""Tools that stay in the repository (never in the wheel): data builders and the benchmark."""
