"""``python -m addin``: the ``ziping`` command (see :mod:`addin.entry`)."""

import sys

from .entry import main

sys.exit(main())
