"""Opens the admin to one of the facilitator's staff, with exactly the staff's permissions (accounts/staff.py)."""

from django.core.management.base import BaseCommand, CommandError

from accounts import staff
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Donne à une personne de l'équipe du facilitateur l'accès à l'administration, avec les seules permissions "
        "de l'équipe (et remet le groupe de l'équipe à ces permissions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse e-mail du compte.")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte n'a l'adresse {email}.")
        staff.make_staff(user)
        count = staff.staff_group().permissions.count()
        self.stdout.write(f"{user.email} a accès à l'administration ({count} permissions de l'équipe).")
