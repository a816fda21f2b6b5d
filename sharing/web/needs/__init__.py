"""Pages of the needs pipeline, results transferred, experts, the alliance and the impact."""
