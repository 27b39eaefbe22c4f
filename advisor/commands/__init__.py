"""Sub-commands of `advisor`, one module each: `register(subparsers, common)`."""
