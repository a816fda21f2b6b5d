"""Pages of instruments that report their own use, and of campus cards."""
