"""Pure functions from report data to text; the CLI is the only place that prints."""
