"""Block Kit rendering: plain functions from core objects to Slack blocks; no API calls here."""
