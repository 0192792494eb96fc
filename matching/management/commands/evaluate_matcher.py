from django.core.management.base import BaseCommand, CommandError

from matching import evaluation, training


def _table(write, title, results):
    columns = [f"{m}@{k}" for k in evaluation.KS for m in ("P", "R", "nDCG")] + ["MRR"]
    write(f"\n{title}")
    write(f"{'':<36}" + "".join(f"{c:>9}" for c in columns))
    for name, metrics in results.items():
        write(f"{name:<36}" + "".join(f"{metrics[c]:>9.3f}" for c in columns))


class Command(BaseCommand):
    help = (
        "Mesure le rapprochement : précision, rappel, nDCG@5/10/20 et MRR sur les candidatures les plus récentes "
        "(modèles entraînés sur les plus anciennes), face au hasard et à « même métier, le plus proche » ; "
        "puis les métiers proches : la similarité de contenu seule face aux listes des experts de France Travail "
        "(le classement de production, qui lit ces listes, est donné à côté), et sur ce qu'elle n'a pas vu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Nombre maximal d'offres évaluées.")
        parser.add_argument("--skip-ranking", action="store_true", help="Seulement les métiers proches.")

    def handle(self, *, limit, skip_ranking, **options):
        write = self.stdout.write
        if not skip_ranking:
            try:
                results, summary = evaluation.evaluate_ranking(max_positions=limit)
            except training.NotEnoughOutcomes as exc:
                raise CommandError(str(exc)) from exc
            write(
                f"{summary['outcomes']} candidatures décidées ({summary['hired_share']:.1%} d'embauches) : "
                f"{summary['train']} pour entraîner, {summary['holdout']} récentes pour juger ; "
                f"{summary['positions']} offres avec une embauche parmi les récentes."
            )
            _table(write, "Classement des candidats (pertinent = embauché)", results)
        similar, summary = evaluation.evaluate_similar()
        write(
            f"\nMétiers proches : {summary['occupations']} métiers ({summary['with_experts']} avec des métiers "
            f"proches selon France Travail), poids du contenu {summary['weights']}. Face aux listes des experts, "
            "seul le contenu seul est un chiffre honnête : le classement de production lit ces listes."
        )
        for judgement, results in similar.items():
            _table(write, f"Jugé sur : {judgement}", results)
