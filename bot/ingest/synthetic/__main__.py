"""`python -m bot.ingest.synthetic --citizens N --out DIR`: see `bot.ingest.synthetic.cli`."""

import sys

from bot.ingest.synthetic.cli import main

if __name__ == "__main__":
    sys.exit(main())
