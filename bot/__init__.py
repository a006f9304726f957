"""Partnership Leadership Coach: coaching for partnership leaders, grounded in the guidance."""

__version__ = "0.1.0"
