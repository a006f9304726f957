"""What operators watch: Prometheus metrics, structured logs, health and readiness checks."""
