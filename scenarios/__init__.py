"""Declarative service scenarios (YAML) and the engine that walks a citizen through them."""
