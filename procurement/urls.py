app_name = "procurement"

urlpatterns = []
