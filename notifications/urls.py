from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/lues/", views.notifications_mark_read, name="notifications_mark_read"),
]
