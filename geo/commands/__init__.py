"""The CLI commands, one module each; ``geo.cli`` gathers them into one group."""
