import sys

from svgarch.cli import main

sys.exit(main())
