import sys

from svgarch.cli import run

sys.exit(run())
