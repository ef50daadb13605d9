"""Built-in check plugins for antseed-doctor (Codex CLI and the AntSeed proxy)."""
