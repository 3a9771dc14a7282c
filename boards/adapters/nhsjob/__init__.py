"""NHSJob (seed 000, NHSJob's integration guides; BOARDS.md fixes the contract): jobs created, updated and closed
through its API, applications told to us by signed webhooks and found by polling when a webhook never came.

Two credentials on one account: an API key (`X-API-Key`) for reads, and an OAuth 2.0 client (client credentials
grant) for writes, whose access token is cached in Django's cache (`tokens.py`). Where the guide is silent, this
package and the sandbox (`boards/sandbox/nhsjob.py`) agree on the choices written in `spec.py` (fields, limits),
`mapping.py` (the payload and our contract kinds -> NHSJob's contract types), `client.py` (the HTTP contract),
`tokens.py` (the token and its cache) and `webhooks.py` (signatures and event shapes).
"""
