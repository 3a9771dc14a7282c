"""Strict fake job boards for development, demos and tests, mounted at /sandbox/ only when BOARDS_SANDBOX is on."""
