"""Store services: protocols, local/http/grpc implementations, and resilience wrappers."""
