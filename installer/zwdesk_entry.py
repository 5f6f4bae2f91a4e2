"""Entry script of the frozen zwdesk (PyInstaller): the window, or a command when one is given."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The city's merge and the station's bundle builder start `spawn` workers. In a frozen
    # program a worker is this same executable started again with multiprocessing's own
    # arguments; freeze_support() runs the worker's job and exits before the command line
    # would open a second window (PyInstaller's runtime hook makes it work on Linux and macOS
    # too, not only on Windows).
    multiprocessing.freeze_support()

    from zwdesk.cli import main

    sys.exit(main())
