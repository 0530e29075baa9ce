"""One module per `coopkg` subcommand; each exposes a click command named `command`."""
