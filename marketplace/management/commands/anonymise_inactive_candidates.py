from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import context
from marketplace import personal_data


class Command(BaseCommand):
    help = (
        "Anonymise les candidats inactifs depuis --months mois (par défaut CANDIDATE_RETENTION_MONTHS, "
        f"{settings.CANDIDATE_RETENTION_MONTHS}). Inactif : fiche ni créée ni modifiée, aucune candidature "
        "proposée ni changée d'état, aucune vérification d'éligibilité, aucune mise à l'emploi créée, décidée, "
        "commencée, en cours ou close, aucune heure déclarée, décidée ou travaillée sur la période. Les personnes "
        "ayant une candidature en cours ou une embauche à valider sont laissées et comptées. Les heures et les "
        "bilans ne changent pas. Sans effet sur les candidats déjà anonymisés : on peut la relancer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Durée d'inactivité en mois.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *, months, dry_run, **options):
        if months is not None and months < 1:
            raise CommandError("--months doit être un nombre de mois positif.")
        with context.command("anonymise_inactive_candidates"):
            cutoff, anonymised, left = personal_data.anonymise_inactive(months=months, dry_run=dry_run)
        verb = "seraient anonymisés (simulation : rien n'est modifié)" if dry_run else "anonymisés"
        self.stdout.write(
            f"Candidats sans activité depuis le {cutoff:%d/%m/%Y} : {anonymised} {verb}, "
            f"{left} laissés (candidature en cours ou embauche à valider)."
        )
