"""Code generated from storefront/catalog.proto by `make proto`; do not edit."""
