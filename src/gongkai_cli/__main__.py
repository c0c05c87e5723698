"""`python -m gongkai_cli`: the same as the gongkai console script."""

from .cli import main

main()
