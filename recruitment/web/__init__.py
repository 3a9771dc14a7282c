"""The recruiter back-office and the public careers pages."""
