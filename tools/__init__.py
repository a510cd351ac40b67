"""MM-Bot tooling."""
