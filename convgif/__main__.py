"""``python -m convgif``: the same as the ``convgif`` command."""

from .cli import main

main()
