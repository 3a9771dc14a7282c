"""Read queries shared by the back-office, the admin, the API and the exports (N+1-free, scoped)."""
