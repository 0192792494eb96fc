"""Reference data in the admin: browsable and searchable by the facilitator's staff, never edited by
hand (``load_reference_data`` is the only writer)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from reference.models import Commune, JobTitle, Occupation, OccupationDomain, OccupationMobility, Skill


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete, even for superusers."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccentInsensitiveSearchMixin:
    """The admin search (and the autocompletes of other admins) use the app's own search, which
    ignores accents and case ("macon" finds "Maçon")."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


@admin.register(Commune)
class CommuneAdmin(AccentInsensitiveSearchMixin, ReadOnlyAdmin):
    list_display = ["code_insee", "name", "department", "postcodes"]
    list_filter = ["department"]
    search_fields = ["name", "code_insee", "postcodes"]
    fields = ["code_insee", "name", "slug", "department", "postcodes", "latitude", "longitude"]


@admin.register(OccupationDomain)
class OccupationDomainAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "occupation_count"]
    search_fields = ["code", "label"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(occupation_count=Count("occupations"))

    @admin.display(description="métiers", ordering="occupation_count")
    def occupation_count(self, domain):
        return domain.occupation_count


class JobTitleInline(admin.TabularInline):
    model = JobTitle
    fields = ["code_ogr", "label"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code_rome", "label", "domain"]
    list_filter = ["domain"]
    list_select_related = ["domain"]
    search_fields = ["code_rome", "label"]
    fields = ["code_rome", "label", "domain", "definition", "access", "close_occupation_list", "skill_list"]
    inlines = [JobTitleInline]

    @admin.display(description="métiers proches selon France Travail")
    def close_occupation_list(self, occupation):
        mobilities = OccupationMobility.objects.from_occupation(occupation.pk)
        return format_html_join(
            mark_safe("<br>"), "{}. {} ({})", ((m.rank, m.target.label, m.target_id) for m in mobilities)
        )

    @admin.display(description="compétences")
    def skill_list(self, occupation):
        skills = occupation.skills.order_by("kind", "label")
        return format_html_join(mark_safe("<br>"), "{} · {}", ((s.get_kind_display(), s.label) for s in skills))


@admin.register(JobTitle)
class JobTitleAdmin(AccentInsensitiveSearchMixin, ReadOnlyAdmin):
    list_display = ["code_ogr", "label", "occupation"]
    list_filter = ["occupation__domain"]
    list_select_related = ["occupation"]
    search_fields = ["label", "code_ogr", "occupation__code_rome"]
    fields = ["code_ogr", "label", "short_label", "occupation"]


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    list_display = ["code_ogr", "label", "kind", "category"]
    list_filter = ["kind", "category"]
    search_fields = ["label", "=code_ogr"]
    fields = ["code_ogr", "label", "kind", "category"]
