"""Contributions: places propose themselves, a coordinator moderates, accepted places join the map."""
