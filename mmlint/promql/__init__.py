"""PromQL: regex matching now; the engine and its parts (issue 5) later."""
