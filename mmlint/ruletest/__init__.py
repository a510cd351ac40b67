"""promtool-compatible rule unit tests: the test file model, the runner and alert templates."""
