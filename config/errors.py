"""Errors raised by services and selectors, neutral to dialect; each dialect renders them."""


class DomainError(Exception):
    status_code = 422

    def __init__(self, *messages: str, code: str = "", field: str | None = None):
        super().__init__(", ".join(messages))
        self.messages = list(messages)
        self.code = code
        # The input field at fault, for dialects that report errors per field.
        self.field = field

    @property
    def message(self) -> str:
        return ", ".join(self.messages)


class Invalid(DomainError):
    """A record failed validation (Rails RecordInvalid): shown as "Validation failed: ..."."""


def does_not_exist(field: str, pk) -> Invalid:
    """An id in the input that names no usable row (DRF's PrimaryKeyRelatedField wording)."""
    return Invalid(f'Invalid pk "{pk}" - object does not exist.', code="does_not_exist",
                   field=field)


class Rejected(DomainError):
    """A rule refused the request; the message is shown as it is (Mastodon::ValidationError)."""


class BadRequest(DomainError):
    """A required parameter is missing (Rails ParameterMissing)."""

    status_code = 400


class NotFound(DomainError):
    status_code = 404


class NotAllowed(DomainError):
    status_code = 403


class RateLimited(DomainError):
    status_code = 429
    # Response headers of the refusal (X-RateLimit-*, Retry-After), set by config.ratelimit.
    headers: dict[str, str] = {}


class UnexpectedMentions(DomainError):
    """The text mentions accounts outside `allowed_mentions` (carries the accounts)."""

    def __init__(self, accounts):
        super().__init__("Post would be sent to unexpected accounts")
        self.accounts = list(accounts)


def choice_value(raw, *, field: str, choices) -> int:
    """An integer choice (an integer or its digits) of `choices`; anything else is an Invalid on
    `field`, in the words DRF uses. The caller decides what an absent value means."""
    if isinstance(raw, bool) or isinstance(raw, (list, dict, float)):
        raise Invalid("A valid integer is required.", code="invalid", field=field)
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise Invalid("A valid integer is required.", code="invalid", field=field) from None
    if value not in choices:
        raise Invalid(f'"{value}" is not a valid choice.', code="invalid_choice", field=field)
    return value
