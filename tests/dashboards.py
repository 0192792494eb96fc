"""Reading a dashboard's work items (templates/components/work_items.html) as a person reads them."""

import html
import re

_ITEM = re.compile(
    r'<a href="(?P<url>[^"]+)"><span class="passerelle-work__count">(?P<count>[^<]+)</span> (?P<label>[^<]+)</a>'
    r"</h3>\s*(?:<p class=\"fr-card__desc\">(?P<desc>.*?)</p>)?",
    re.S,
)


def work_items(page):
    """{label: (count, url, description)} of the dashboard's « À faire » section."""
    return {
        html.unescape(m["label"]): (
            html.unescape(m["count"]).replace("\u202f", " ").replace("\xa0", " "),
            html.unescape(m["url"]),
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", m["desc"] or "")).split()),
        )
        for m in _ITEM.finditer(page)
    }
