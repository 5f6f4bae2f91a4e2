"""The only package that imports PySide6: main window, views, table models, dialogs."""
