"""Turning retrieved passages into answers: offline (extractive) and LLM-backed."""
