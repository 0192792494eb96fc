from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's seeding (``seed_demo``): above every domain app, none of which imports it."""

    name = "demo"
    verbose_name = "Démonstration"
