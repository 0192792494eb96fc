from django.core.management.base import BaseCommand

from matching import fairness


class Command(BaseCommand):
    help = (
        "Compare, par grand domaine ROME, la part des femmes et de chaque tranche d'âge parmi les k premiers "
        "candidats proposés avec leur part parmi les candidats qui remplissent les conditions des offres ouvertes ; "
        "signale les rapports inférieurs à 0,8."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=fairness.DEFAULT_K)
        parser.add_argument("--limit", type=int, default=None, help="Nombre maximal d'offres (les plus récentes).")

    def handle(self, *, k, limit, **options):
        lines = fairness.report(k=k, max_positions=limit)
        if not lines:
            self.stdout.write("Aucune offre ouverte : rien à mesurer.")
        flagged = 0
        for line in lines:
            self.stdout.write(
                f"\n{line.code} – {line.label} : {line.positions} offres, "
                f"{line.top} propositions, {line.pool} possibles"
            )
            for group in line.groups:
                ratio = "—" if group.ratio is None else f"{group.ratio:.2f}"
                mark = "  ⚠ inférieur à 0,8" if group.flagged else ""
                self.stdout.write(
                    f"  {group.group:<18} possibles {group.pool_share:6.1%}  proposés {group.top_share:6.1%}  "
                    f"rapport {ratio}{mark}"
                )
                flagged += group.flagged
        self.stdout.write(f"\n{flagged} rapport(s) inférieur(s) à 0,8.")
