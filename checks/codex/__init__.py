"""Checks about how the Codex CLI is configured, for the Codex version detected."""
