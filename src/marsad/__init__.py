"""marsad (مرصد): Arabic news to conflict event data."""

__version__ = "0.1.0"
