"""medloc: translate and quality-check medical articles."""

__version__ = "0.1.0"
