"""Evaluation runners behind `coach eval`."""
