"""Which pass of ``make test`` runs what a browser judges.

What the browser judges of the HTML, CSS and scripts a page sends (axe-core's review, the Content Security
Policy, the layout on screen) does not depend on the database behind the page: it is judged once, in the SQLite
pass. The PostgreSQL pass drives what does depend on it, through the same pages: the stories, each role's day
(its pages counted, not reviewed again), the search-as-you-type fields, the login. Without this, the two
passes judged the same pages twice: in the PostgreSQL pass, the Content Security Policy tests took 47 s of a
worker, the contract page's layout 10 s, the header's 7 s, beside axe in each role's day.

    from tests.e2e.passes import JUDGES_PAGES, judged_once
    pytestmark = [judged_once]          # a test about what the page is, not what the database holds
"""

import pytest
from django.db import connection

JUDGES_PAGES = connection.vendor == "sqlite"

judged_once = pytest.mark.skipif(
    not JUDGES_PAGES,
    reason="ce que le navigateur juge d'une page ne dépend pas de la base : jugé une fois, dans la passe SQLite",
)
