"""Allows `python -m zhen`."""

import sys

from zhen.cli import main

sys.exit(main())
