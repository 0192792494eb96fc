"""The users of the load run (``benchmarks/load.py`` starts locust with this file and the plan it wrote):
anonymous visitors on the job board, then buyers, companies, prescribers, SIAE and the facilitator, each
logged in through the login page, reading their pages, companies declaring months of hours with a proof
and the facilitator validating some.

Logging in is the ramp-up: each user waits for the others to be in, then the figures so far are set
aside (the logins' in ``PASSERELLE_LOAD_RAMP_UP``) and the measure lasts ``PASSERELLE_LOAD_DURATION``
seconds with every user active. People log in once a day; fifty Argon2 hashes at once would otherwise hold
the workers for seconds and the requests queued behind them would count in the measure.

Requests carry ``X-Forwarded-Proto: https`` as the TLS proxy in front of gunicorn would, and the client
sends the ``Secure`` cookies the production settings set: behind that proxy, the browser has HTTPS.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
import gevent.event
from locust import FastHttpUser, between, task
from urllib3 import encode_multipart_formdata

PLAN = json.loads(Path(os.environ["PASSERELLE_LOAD_PLAN"]).read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POSITION_LINK = re.compile(r'href="/offres/(\d+)/"')
VALIDATE_ACTION = re.compile(r'action="(/marches/heures/\d+/valider/)"')
# The job board's filters (marketplace.forms.PositionFilterForm): ROME domains, arrondissements, contracts.
DOMAINS = ["A", "F", "G", "K", "N"]
ARRONDISSEMENTS = [f"751{n:02d}" for n in range(1, 21)]
CONTRACT_TYPES = ["cdi", "cdd", "temporary"]
# A one-page PDF padded to about 40 kB, the size of a scanned payslip's first page.
PROOF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + b"%" + b"0" * 40_000 + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class RampUp:
    """Holds users once they are ready; the last one starts the measure and lets them all go."""

    ready = 0
    measuring = gevent.event.Event()

    @classmethod
    def user_ready(cls, environment):
        cls.ready += 1
        if cls.ready == environment.runner.target_user_count:
            cls.start_measure(environment)
        cls.measuring.wait()

    @classmethod
    def start_measure(cls, environment):
        stats = environment.stats
        logins = [stats.get(name, method) for method, name in (("GET", "connexion (page)"), ("POST", "connexion"))]
        Path(os.environ["PASSERELLE_LOAD_RAMP_UP"]).write_text(
            json.dumps(
                {
                    "seconds": round(stats.last_request_timestamp - stats.start_time, 1),
                    "requests": [
                        {
                            "name": f"{entry.method} {entry.name}",
                            "requests": entry.num_requests,
                            "failures": entry.num_failures,
                            **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
                        }
                        for entry in logins
                    ],
                }
            )
        )
        stats.reset_all()
        cls.measuring.set()
        gevent.spawn_later(int(os.environ["PASSERELLE_LOAD_DURATION"]), environment.runner.quit)


class BehindTlsProxy(DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


def _logins(entries):
    """Hands out the plan's logins in turn, so that concurrent users of one role act for different
    organisations (a company's months to declare are its own)."""
    return itertools.cycle(entries or [None])


LOGINS = {
    "buyer": _logins(PLAN["buyers"]),
    "company": _logins(PLAN["companies"]),
    "prescriber": _logins(PLAN["prescribers"]),
    "siae": _logins([{"email": email} for email in PLAN["siae"]]),
    "facilitator": _logins([{"email": PLAN["facilitator"]}]),
}


class Browser(FastHttpUser):
    """A browser behind the TLS proxy; ``role`` users log in first with the next login of their role."""

    abstract = True
    wait_time = between(1, 3)
    role = None

    def on_start(self):
        self.client.cookiejar.set_policy(BehindTlsProxy())
        self.origin = self.host.replace("http://", "https://")
        self.me = next(LOGINS[self.role]) if self.role else None
        try:
            if self.me:
                _, token = self.form("/comptes/login/", name="connexion (page)")
                credentials = {"login": self.me["email"], "password": PLAN["password"]}
                self.submit("/comptes/login/", token, "/comptes/login/", "connexion", credentials)
        finally:  # a failed login is counted, and must not hold the others
            RampUp.user_ready(self.environment)
        # Released together, users would all ask at once: each first thinks, as between two pages.
        gevent.sleep(self.wait_time())

    def get(self, url, name, form=False):
        """A page, failed unless it answers 200 itself (a redirection to the login page is a failure) and,
        for a ``form``, carries a CSRF token."""
        headers = {"X-Forwarded-Proto": "https"}
        with self.client.get(url, name=name, headers=headers, allow_redirects=False, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code} au lieu de 200")
            elif form and not CSRF.search(page.text):
                page.failure("pas de jeton CSRF dans la page")
            return page

    def form(self, url, name):
        """Loads a page with a form; returns its text and CSRF token."""
        text = self.get(url, name, form=True).text or ""
        token = CSRF.search(text)
        return text, token and token.group(1)

    def submit(self, referer, token, url, name, fields):
        """POSTs a form of the page at ``referer`` as the browser would (its CSRF token, its address as
        Referer, over HTTPS); failed unless Django redirects, as it does after every accepted form."""
        if token is None:
            return None
        body, content_type = encode_multipart_formdata({"csrfmiddlewaretoken": token, **fields})
        headers = {"X-Forwarded-Proto": "https", "Referer": self.origin + referer, "Content-Type": content_type}
        with self.client.post(
            url, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code} au lieu d'une redirection : formulaire refusé")
            return response


class Visitor(Browser):
    """Anonymous: the public job board, with and without filters, and the positions it lists."""

    weight = 10

    @task(3)
    def job_board(self):
        page = self.get("/offres/", name="offres")
        ids = POSITION_LINK.findall(page.text)
        if ids:
            self.get(f"/offres/{random.choice(ids)}/", name="offre")

    @task(2)
    def job_board_filtered(self):
        params = {
            "domain": random.choice(DOMAINS),
            "commune": random.choice(ARRONDISSEMENTS + [""]),
            "contract_type": random.choice(CONTRACT_TYPES + [""]),
        }
        self.get("/offres/?" + "&".join(f"{k}={v}" for k, v in params.items()), name="offres filtrées")


class LoggedIn(Browser):
    abstract = True

    @task(3)
    def dashboard(self):
        self.get("/tableau-de-bord/", name=f"tableau de bord ({self.role})")


class Buyer(LoggedIn):
    weight = 6
    role = "buyer"

    @task(2)
    def contracts(self):
        self.get("/marches/", name="marchés (acheteur)")

    @task(2)
    def contract_progress(self):
        if self.me["contracts"]:
            self.get(f"/marches/{random.choice(self.me['contracts'])}/", name="avancement d'un marché")


class Company(LoggedIn):
    weight = 12
    role = "company"

    @task(2)
    def statements(self):
        self.get("/marches/heures/", name="relevés d'heures (entreprise)")

    @task(2)
    def declare_a_month(self):
        if not self.me["slots"]:
            return
        source, month, hours = self.me["slots"].pop()
        url = f"/marches/heures/declarer/{source}/"
        _, token = self.form(url, name="déclaration d'heures (page)")
        fields = {
            "month": month,
            "hours": str(hours),
            "proof_kind": "payslip",
            "proof": ("bulletin.pdf", PROOF, "application/pdf"),
        }
        response = self.submit(url, token, url, "déclaration d'heures", fields)
        if response is not None and response.status_code == 302:
            self.get(response.headers["Location"], name="avancement d'un marché")


class Prescriber(LoggedIn):
    weight = 8
    role = "prescriber"

    @task(2)
    def candidates(self):
        self.get("/candidats/", name="candidats (prescripteur)")

    @task(2)
    def candidate_matches(self):
        if self.me["candidates"]:
            self.get(f"/candidats/{random.choice(self.me['candidates'])}/offres-proposees/", name="offres proposées")

    @task(2)
    def position_matches(self):
        self.get(f"/offres/{random.choice(PLAN['open_positions'])}/propositions/", name="propositions (prescripteur)")


class Siae(LoggedIn):
    weight = 4
    role = "siae"

    @task(1)
    def directory(self):
        self.get("/marches/siae/", name="annuaire des SIAE")


class Facilitator(LoggedIn):
    weight = 10
    role = "facilitator"

    @task(3)
    def position_matches(self):
        self.get(f"/offres/{random.choice(PLAN['open_positions'])}/propositions/", name="propositions (facilitateur)")

    @task(1)
    def follow_up(self):
        self.get("/suivi/", name="suivi (facilitateur)")

    @task(2)
    def validate_hours(self):
        page, token = self.form("/marches/heures/", name="relevés à valider")
        actions = VALIDATE_ACTION.findall(page)
        if actions:
            self.submit("/marches/heures/", token, random.choice(actions), "validation d'heures", {})
