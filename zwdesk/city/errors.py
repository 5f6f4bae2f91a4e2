"""City-service failures; `str(error)` is one Chinese sentence for the city's staff."""

from __future__ import annotations


class CityError(Exception):
    """Base of the city service's own failures."""


class CityKeysMissingError(CityError):
    """The city's keys were never generated in this keychain."""


class StationExistsError(CityError):
    """`zwdesk city station add` for an id that is already taken."""


class RegistrationError(CityError):
    """A station registration with a wrong, unknown or already used token."""


class CityDatabaseError(CityError):
    """The city database cannot be opened (not one, or from a newer zwdesk)."""
