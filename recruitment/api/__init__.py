"""The partner REST API (`/api/v1/`): DRF views over the shared selectors and services."""
