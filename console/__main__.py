"""`python -m console` is `akhbar`."""

from console.cli import main

main()
