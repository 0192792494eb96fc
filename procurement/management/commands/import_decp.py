from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from procurement.decp import import_decp, read_path


class Command(BaseCommand):
    help = (
        "Importe un fichier DECP v2 (JSON, forme imbriquée ou à plat) : chaque marché portant une considération "
        "sociale devient un marché en brouillon de son donneur d'ordre inscrit. Sans effet sur un marché déjà importé."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")
        parser.add_argument("--limit", type=int, help="Ne lit que les N premiers marchés.")

    def handle(self, *args, file, dry_run, limit, **options):
        try:
            report = import_decp(raw=read_path(file), dry_run=dry_run, limit=limit)
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for record_id, reasons in report.rejected:
            self.stderr.write(f"{record_id} : {' '.join(reasons)}")
        prefix = "[simulation] " if dry_run else ""
        self.stdout.write(prefix + report.summary)
