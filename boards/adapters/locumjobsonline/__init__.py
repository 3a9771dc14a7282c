"""LocumJobsOnline (seed 003, API v2.0 "Job Imports"): bulk and asynchronous. One import carries every job of the
account that should be live, with `deleteJobs: true` so jobs we no longer send come down; the board answers 202 at
once, processes the import in its queue, and tells us by POSTing the import to our callback URL (or we poll
`GET /job-imports/{id}`).

Where the seed is silent, this package and the sandbox (`boards/sandbox/locumjobsonline.py`) agree on the choices
written in `spec.py` (which fields we ask for, their limits, and which rules are the board's alone), `mapping.py`
(the job object, the board's per-job rules and messages), and `client.py` (auth, the error body, the idempotency key
that makes a retried import the same import); BOARDS.md records the rest.
"""
