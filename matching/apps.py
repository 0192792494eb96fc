from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Rapprochement candidats – offres"

    def ready(self):
        from common import links
        from matching import links as matching_links

        # The marketplace's pages offer these slots without knowing the matcher (it sits above them).
        links.register("position", matching_links.position_matches)
        links.register("candidate", matching_links.candidate_matches)
        links.register("session", matching_links.session_matches)
