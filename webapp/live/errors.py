"""The one exception of the live service: an HTTP status, the field at fault and a sentence."""


class LiveError(Exception):
    def __init__(self, field: str, message: str, status: int = 400, retry_after: float | None = None):
        super().__init__(message)
        self.field, self.message, self.status, self.retry_after = field, message, status, retry_after
