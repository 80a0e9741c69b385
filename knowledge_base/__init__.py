"""Knowledge base: answer templates for typical questions (YAML), their loader and search."""
