"""Domain errors raised by services; views, the API and the admin turn them into messages."""


class DomainError(Exception):
    """A rule of the domain refused the change; the message is fit to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A status or stage change that the workflow does not allow."""


class AlreadyExists(DomainError):
    """The change would create a second copy of something that exists (the same candidate applying twice to a job);
    the API answers 409 Conflict."""
