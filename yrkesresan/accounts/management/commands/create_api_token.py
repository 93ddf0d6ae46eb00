from django.core.management.base import BaseCommand, CommandError

from yrkesresan.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Create an API token for the person with this e-mail address and print it as the last "
        "word of the output. The token acts with that person's rights; only its SHA-256 digest "
        "is stored, so it is shown this once. Revoke it on the API tokens page."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The e-mail address of the token's owner.")
        parser.add_argument(
            "--name", default="", help="What the token is for, such as the HR system's name."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=ApiToken.MAX_VALID_DAYS,
            help=f"How many days the token is valid, 1 to {ApiToken.MAX_VALID_DAYS}.",
        )

    def handle(self, *args, email, name, days, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No person has the e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The account of {user.email} is deactivated.")
        name = name.strip()
        limit = ApiToken._meta.get_field("name").max_length
        if len(name) > limit:
            raise CommandError(f"The name is too long; use at most {limit} characters.")
        if not 1 <= days <= ApiToken.MAX_VALID_DAYS:
            raise CommandError(f"A token is valid for 1 to {ApiToken.MAX_VALID_DAYS} days.")
        token = ApiToken.issue(user, name=name, valid_days=days)
        self.stdout.write(f"API token for {user.email}: {token}")
