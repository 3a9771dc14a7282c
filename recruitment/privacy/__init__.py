"""Data protection by construction (ARCHITECTURE rule 8: personal data has a home and an end).

- `registry`: every model of the project either holds personal data (and says how it is found from a person, exported
  and erased) or is declared as holding none; a test fails for a model that is neither.
- `catalogue`: the recruitment app's own entries and retention policies (boards and the sandbox register theirs in
  `boards/privacy.py` and `boards/sandbox/privacy.py`).
- `retention`: the policies, applied in batches by the daily task (`tasks`, scheduled by `schedule`) or
  `manage.py privacy_retention`; `selectors.retention_report` is the dry run.
- `anonymise`: the row-level operations retention and erasure share.
- `subject_access`: one ZIP of everything the registry finds for a person.
- `erasure`: erasure on request, refused while a legal hold is on or an offer is in progress.
- `holds`: setting and lifting legal holds; `viewlog`: the DBS viewer log; `people`: finding the person a command or
  an admin action is about.
"""
