import sys

from barrierfree.cli import main

sys.exit(main())
