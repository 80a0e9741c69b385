"""The framework: knows no feature and no messenger."""
