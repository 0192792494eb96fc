"""The facilitator's staff manage people, organisations and invitations here, with the permissions of
``accounts.staff`` and no way to grant themselves more: privileges, other staff accounts, passwords, their
own memberships and API tokens stay with superusers."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.models import AuthToken

from accounts.models import Invitation, Membership, Organisation, User


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.request.user.is_superuser:
            return
        for form in self.forms:
            if not form.has_changed():
                continue
            users = {form.cleaned_data.get("user"), form.initial.get("user")}
            if self.request.user in users or self.request.user.pk in users:
                raise ValidationError("Vos propres appartenances sont modifiées par un superutilisateur.")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user", "organisation"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with the email as login (there is no username)."""

    class CreationForm(AdminUserCreationForm):
        class Meta:
            model = User
            fields = ["email"]

    class ChangeForm(UserChangeForm):
        class Meta:
            model = User
            fields = "__all__"

    add_form = CreationForm
    form = ChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        (
            "Droits",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]}),
    ]
    # What a member of the staff sees of a person: no privileges (theirs or anyone's), no password to set.
    staff_fieldsets = [
        (None, {"fields": ["email"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.staff_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return ["last_login", "date_joined"]
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        """Staff accounts (their own included) and superusers are changed by superusers only."""
        if obj is not None and not request.user.is_superuser and (obj.is_staff or obj.is_superuser):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password would let staff act in their name: people reset their own by email."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prescriber_kind", "siae_kind", "siret", "commune", "status", "created_at"]
    list_filter = ["status", "kind", "prescriber_kind", "siae_kind"]
    # Decided on the site's page (accounts.views.decisions), which tells the organisation's admins.
    readonly_fields = ["status", "decided_at", "decided_by"]
    search_fields = ["name", "siret"]
    list_select_related = ["commune"]
    # A raw id: the reference app's admin is not needed to pick one of ~1,300 communes.
    raw_id_fields = ["commune"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    autocomplete_fields = ["organisation", "invited_by"]
    readonly_fields = ["token", "created_at", "accepted_at"]


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(KnoxAuthTokenAdmin):
    """Knox's tokens for superusers, to revoke one: only their first characters are ever shown (knox keeps a hash
    of the rest), and none is created here (a person asks for theirs through the API)."""

    list_display = ["token_start", "user", "created", "expiry"]
    search_fields = ["user__email"]
    fields = ["token_start", "user", "created", "expiry"]
    readonly_fields = fields

    @admin.display(description="jeton")
    def token_start(self, token):
        return f"{token.token_key[:8]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
