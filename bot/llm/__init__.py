"""The language model: a provider factory over any OpenAI-compatible endpoint, and the resilience around it."""
