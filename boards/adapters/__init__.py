"""One package per job board: adapter.py (the operations), spec.py (the fields), mapping.py (pure), client.py (HTTP)."""
