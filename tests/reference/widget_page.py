"""A page with the three reference fields, for the browser test of the widget (test URLconf only)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from dsfr.forms import DsfrBaseForm

from config.urls import urlpatterns as project_urlpatterns
from reference.forms import CommuneField, JobTitleField, MultipleJobTitleField

PAGE = """{% extends "layout/base.html" %}
{% block content %}
  <div class="fr-container fr-my-4w">
    {% if cleaned %}<p id="cleaned">{{ cleaned }}</p>{% endif %}
    <form method="post">{% csrf_token %}{{ form }}<button class="fr-btn" type="submit">Envoyer</button></form>
  </div>
{% endblock content %}
{% block page_js %}{{ form.media }}{% endblock page_js %}"""


class WidgetForm(DsfrBaseForm):
    job_title = JobTitleField(label="Métier")
    commune = CommuneField(label="Lieu de travail")
    job_titles = MultipleJobTitleField(label="Métiers recherchés")


@login_not_required
def widget_page(request):
    form = WidgetForm(request.POST or None)
    cleaned = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        titles = ", ".join(sorted(str(t.pk) for t in data["job_titles"]))
        cleaned = f"{data['job_title'].pk} | {data['commune'].pk} | {titles}"
    html = engines["django"].from_string(PAGE).render({"form": form, "cleaned": cleaned}, request)
    return HttpResponse(html)


urlpatterns = [path("essai-widget/", widget_page), path("", include(project_urlpatterns))]
