"""Composition root: opens the database, builds the services, hands them to the window."""
