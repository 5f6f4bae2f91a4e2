"""UI tests run real widgets offscreen (QT_QPA_PLATFORM is set in tests/conftest.py)."""
