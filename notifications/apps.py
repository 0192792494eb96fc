from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications and their emails: any app with news for an organisation calls ``notify``."""

    name = "notifications"
    verbose_name = "Notifications"
