"""``python -m mindport`` is the ``mindport`` command."""

from mindport.cli import main

raise SystemExit(main())
