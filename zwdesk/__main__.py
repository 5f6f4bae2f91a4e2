"""`python -m zwdesk` runs the command line."""

from zwdesk.cli import main

raise SystemExit(main())
