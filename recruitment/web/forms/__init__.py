"""Forms of the back-office and the careers site, rendered with NHS.UK frontend markup."""
