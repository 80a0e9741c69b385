"""Anonymous questionnaires (YAML), the survey engine and reports."""
