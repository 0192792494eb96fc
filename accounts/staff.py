"""The facilitator's staff in the Django admin: exactly the permissions their work needs, in one group.

Workflows that count (validations, hours, awards, states) go through the site, its services and the audit log,
never through the admin: there the staff look things up, manage people, organisations and invitations, set the
reference values and unlock a locked-out account. Django's own tables (groups, permissions) and API tokens stay
with superusers, so that no one grants themselves more (see also ``accounts.admin.UserAdmin``).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP_NAME = "Équipe du facilitateur"
# Apps whose records the staff may look up.
VIEW_APPS = ["accounts", "reference", "procurement", "marketplace", "matching", "audit", "axes"]
# And what they may change, as "app_label.codename".
CHANGES = [
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_organisation",
    "accounts.change_organisation",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
    "accounts.add_invitation",
    "accounts.change_invitation",
    "accounts.delete_invitation",
    "procurement.change_sectordefaults",
    "procurement.change_clausesettings",
    "axes.delete_accessattempt",
]


def permissions():
    changes = Q()
    for name in CHANGES:
        app_label, codename = name.split(".")
        changes |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(Q(content_type__app_label__in=VIEW_APPS, codename__startswith="view_") | changes)


def staff_group():
    """The staff group with exactly these permissions (created, or brought back to them)."""
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions())
    return group


def make_staff(user):
    """Opens the admin to ``user`` with the staff's permissions, and no more."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(staff_group())
