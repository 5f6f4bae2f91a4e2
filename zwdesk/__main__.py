"""`python -m zwdesk` runs the command line."""

from zwdesk.cli import main

# Guarded: a worker process (multiprocessing's spawn) imports this module again, and must not
# run the command line a second time.
if __name__ == "__main__":
    raise SystemExit(main())
