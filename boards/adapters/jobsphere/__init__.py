"""JobSphere (seed 004, the JobSphere API documentation): jobs created, updated and archived through its API, and
applications and status changes sent back by signed webhooks.

Where the documentation is silent, this package and the sandbox (`boards/sandbox/jobsphere.py`) agree on the choices
written in `spec.py` (fields, limits, messages), `mapping.py` (the payload), `client.py` (the HTTP contract) and
`webhooks.py` (signatures and event shapes); BOARDS.md records them.
"""
