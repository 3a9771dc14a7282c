"""Job-board models (board accounts, postings, attempts, inbound events) arrive with the board framework."""
