"""PromQL: lexing, and positions for what the parser reports without them."""
