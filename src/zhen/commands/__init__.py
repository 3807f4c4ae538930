"""Subcommands of `zhen`: each public module here defines `register(subparsers)`."""
