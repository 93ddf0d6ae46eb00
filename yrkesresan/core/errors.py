"""The one base of every refusal the domain answers with.

A service refuses by raising a DomainError (or a subclass named after its domain, such as
RegistrationError) whose message is a complete sentence, translated where it is raised. How the
refusal reaches the user is decided once per entry point: core.middleware.DomainErrorMiddleware
for the pages, enrolment.api's exception handlers for the JSON API, a command's handle() for the
command line (a CommandError with the sentence in English). A view catches a DomainError itself
only to put the sentence on the form it shows again.
"""


class DomainError(Exception):
    """A refusal: str(error) is a complete sentence for the user, `status` the HTTP status it
    answers with, `code` an optional machine-readable name the API adds to its JSON error.

    `status` is 400 by default; a subclass says 409 when the refusal is a conflict with the
    current state (a full or duplicate booking) and 403 when it is a permission.
    """

    status = 400
    code = ""

    def __init__(self, message="", *, code=None):
        super().__init__(message)
        if code is not None:
            self.code = code

    def details(self):
        """The fields the API's JSON error carries besides "error": "code" when there is one."""
        return {"code": self.code} if self.code else {}
