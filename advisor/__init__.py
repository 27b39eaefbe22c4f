"""IBM Mission Design Advisor: rule-based advice for civilian CSDP border missions."""

__version__ = "0.1.0"
