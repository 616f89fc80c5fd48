"""One module per ``ziping`` subcommand; see :mod:`addin.cli`."""
