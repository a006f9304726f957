"""The Slack app: the only package that imports slack_bolt / slack_sdk. Listeners parse, ack, call the core, render."""
