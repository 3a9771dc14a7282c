"""NHS Jobs (seed 001, Jobtrain's NHS Jobs client user guide): drafts created and updated through the API.

Where the guide is silent, this package and the sandbox (`boards/sandbox/nhs_jobs.py`) agree on the choices written
in `spec.py` (fields, limits, messages), `mapping.py` (the payload) and `client.py` (the HTTP contract).
"""
