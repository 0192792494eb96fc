"""Demo organisations and people: real Paris buyers and prescriber networks by name, fictitious
companies, SIAE and people (Faker fr_FR), all reachable through ``@demo.passerelle.test`` emails.

Every demo organisation and user carries an email on ``DEMO_EMAIL_DOMAIN``: that is how the demo data is
found again (``organisations()``, ``reset()``), and it is obviously fictitious.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils.text import slugify
from stdnum import luhn

from accounts import staff
from accounts.enums import OrganisationKind as Kind
from accounts.enums import PrescriberKind, SiaeKind
from accounts.models import Membership, Organisation, User
from reference.models import Commune

DEMO_EMAIL_DOMAIN = "demo.passerelle.test"
# Shorter than the 12-character validator on purpose: validators apply to forms, the seed sets it directly.
PASSWORD = "passerelle-demo"
FACILITATOR_EMAIL = f"facilitateur@{DEMO_EMAIL_DOMAIN}"

# (key, kind, sub-kind, name, arrondissement INSEE code). Real public bodies by name; the rest is invented.
NAMED_ORGANISATIONS = [
    # The MEP's partner buyers of 2008-2009, as its report lists them (domain.md).
    ("ville-de-paris", Kind.BUYER, "", "Ville de Paris", "75104"),
    ("aphp", Kind.BUYER, "", "Assistance Publique – Hôpitaux de Paris (AP-HP)", "75104"),
    ("paris-habitat", Kind.BUYER, "", "Paris Habitat", "75113"),
    ("region-idf", Kind.BUYER, "", "Conseil régional d'Île-de-France", "75107"),
    ("semavip", Kind.BUYER, "", "SEMAVIP", "75119"),
    ("bnf", Kind.BUYER, "", "Bibliothèque nationale de France", "75113"),
    ("louvre", Kind.BUYER, "", "Musée du Louvre", "75101"),
    ("minefi", Kind.BUYER, "", "Ministère de l'Économie et des Finances", "75112"),
    ("justice", Kind.BUYER, "", "Ministère de la Justice", "75101"),
    ("interieur", Kind.BUYER, "", "Ministère de l'Intérieur", "75108"),
    ("defense", Kind.BUYER, "", "Ministère des Armées", "75115"),
    ("premier-ministre", Kind.BUYER, "", "Services du Premier ministre", "75107"),
    ("sante", Kind.BUYER, "", "Ministère de la Santé", "75107"),
    ("agriculture", Kind.BUYER, "", "Ministère de l'Agriculture", "75107"),
    ("affaires-etrangeres", Kind.BUYER, "", "Ministère de l'Europe et des Affaires étrangères", "75107"),
    ("batiment", Kind.COMPANY, "", "Bâtir Paris Rénovation (démo)", "75119"),
    ("proprete", Kind.COMPANY, "", "Net'Services Île-de-France (démo)", "75111"),
    ("espaces-verts", Kind.COMPANY, "", "Jardins de la Bièvre (démo)", "75113"),
    ("restauration", Kind.COMPANY, "", "Restauration Collective Parisienne (démo)", "75112"),
    ("france-travail", Kind.PRESCRIBER, PrescriberKind.FRANCE_TRAVAIL, "France Travail Paris 18e", "75118"),
    ("mission-locale", Kind.PRESCRIBER, PrescriberKind.MISSION_LOCALE, "Mission locale de Paris", "75110"),
    ("plie", Kind.PRESCRIBER, PrescriberKind.PLIE, "PLIE Paris Nord-Est", "75120"),
    ("cap-emploi", Kind.PRESCRIBER, PrescriberKind.CAP_EMPLOI, "Cap emploi Paris", "75112"),
    ("association", Kind.PRESCRIBER, PrescriberKind.ASSOCIATION, "Association Tremplin Belleville (démo)", "75120"),
    ("ei", Kind.SIAE, SiaeKind.EI, "Rebond Bâtiment – EI (démo)", "75119"),
    ("etti", Kind.SIAE, SiaeKind.ETTI, "Intérim Solidaire Paris – ETTI (démo)", "75110"),
    ("ai", Kind.SIAE, SiaeKind.AI, "Coup de Main 20e – AI (démo)", "75120"),
    ("aci", Kind.SIAE, SiaeKind.ACI, "Chantier Vert de la Villette – ACI (démo)", "75119"),
    ("geiq", Kind.SIAE, SiaeKind.GEIQ, "GEIQ BTP Paris (démo)", "75112"),
    ("mep", Kind.FACILITATOR, "", "Maison de l'Emploi de Paris (MEP)", "75110"),
]

# (local part of the email, first name, last name, keys of the organisations they belong to).
LOGINS = [
    ("acheteur", "Amélie", "Durand", ["ville-de-paris"]),
    ("entreprise", "Karim", "Benali", ["batiment"]),
    ("entreprise2", "Sophie", "Marchand", ["proprete"]),
    ("prescripteur", "Julien", "Lefèvre", ["mission-locale"]),
    ("prescripteur2", "Fatou", "Diallo", ["france-travail"]),
    ("siae", "Nadia", "Moreau", ["ei"]),
    ("facilitateur", "Claire", "Rousseau", ["mep"]),
    # Acts for a company and an SIAE: shows the organisation switch.
    ("polyvalent", "Thomas", "Garnier", ["batiment", "ei"]),
]

# Organisations added per unit of scale, with Faker names, on top of the named ones. No buyer: every contract
# belongs to one of the real Paris buyers above, whatever the scale.
PER_SCALE = [
    (Kind.COMPANY, ""),
    (Kind.COMPANY, ""),
    (Kind.COMPANY, ""),
    (Kind.PRESCRIBER, PrescriberKind.ASSOCIATION),
    (Kind.SIAE, None),  # None: a kind drawn among the SIAE kinds
]
RANDOM_SIAE_KINDS = [SiaeKind.EI, SiaeKind.ETTI, SiaeKind.AI, SiaeKind.ACI, SiaeKind.GEIQ, SiaeKind.EA]


# The trades of the named companies; the others get one in turn (``trade_of``). A contract goes to companies
# of its trade: a cleaning contract to a cleaning company.
COMPANY_TRADES = {
    "batiment": ("building", "public_works", "facility_maintenance"),
    "proprete": ("cleaning", "waste", "reception", "security"),
    "espaces-verts": ("green_spaces", "public_works"),
    "restauration": ("catering", "textile", "logistics"),
}
TRADES_IN_TURN = [
    ("building", "facility_maintenance"),
    ("public_works", "building"),
    ("cleaning", "reception"),
    ("catering", "textile"),
    ("green_spaces", "waste"),
    ("security", "reception"),
    ("logistics", "removals", "mail"),
    ("printing", "mail", "training"),
]


def key_of(organisation):
    """The key a demo organisation was created with (``contact-<key>@`` in its email)."""
    return organisation.email.split("@", 1)[0].removeprefix("contact-")


def trade_of(organisation):
    """The sectors a demo company works in."""
    key = key_of(organisation)
    if key in COMPANY_TRADES:
        return COMPANY_TRADES[key]
    return TRADES_IN_TURN[int(key.rsplit("-", 1)[-1]) % len(TRADES_IN_TURN)]


def login_email(local_part):
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


def demo_siret(n):
    """A valid, deterministic SIRET for the n-th demo organisation (SIREN starting with 99: not a real one)."""
    siren_body = f"99{n:06d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def organisations():
    """Every demo organisation, for the other apps' demo seeds."""
    return Organisation.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def exists():
    return User.objects.filter(email=FACILITATOR_EMAIL).exists()


def reset():
    """Deletes the demo organisations (memberships and invitations follow) and the demo users."""
    organisations().delete()
    User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    Group.objects.filter(name=staff.GROUP_NAME).delete()


def seed(*, scale, rng, faker):
    arrondissements = list(Commune.objects.paris_arrondissements())
    by_code = {c.code_insee: c for c in arrondissements}
    # One hash for every demo user: hashing is slow on purpose, and they all share the password.
    password = make_password(PASSWORD)

    def address():
        return f"{rng.randint(1, 180)} {faker.street_name()}"

    specs = [
        (key, kind, subkind, name, by_code.get(code) or rng.choice(arrondissements))
        for key, kind, subkind, name, code in NAMED_ORGANISATIONS
    ]
    for unit in range(scale):
        for kind, subkind in PER_SCALE:
            if subkind is None:
                subkind = rng.choice(RANDOM_SIAE_KINDS)
            name = faker.company() if kind != Kind.PRESCRIBER else f"Association {faker.last_name()} Insertion"
            specs.append((f"extra-{unit}-{len(specs)}", kind, subkind, name, rng.choice(arrondissements)))

    organisation_by_key = {}
    for n, (key, kind, subkind, name, commune) in enumerate(specs, start=1):
        organisation_by_key[key] = Organisation(
            kind=kind,
            prescriber_kind=subkind if kind == Kind.PRESCRIBER else "",
            siae_kind=subkind if kind == Kind.SIAE else "",
            name=name,
            siret=demo_siret(n),
            address=address(),
            commune=commune,
            email=login_email(f"contact-{key}"),
            phone=faker.phone_number(),
        )
    Organisation.objects.bulk_create(organisation_by_key.values())

    users, memberships = [], []
    for local_part, first_name, last_name, keys in LOGINS:
        user = User(email=login_email(local_part), first_name=first_name, last_name=last_name, password=password)
        user.is_staff = local_part == "facilitateur"
        users.append(user)
        memberships += [(user, organisation_by_key[key], True) for key in keys]
    for key, organisation in organisation_by_key.items():
        if not key.startswith("extra-"):
            continue
        for i in range(rng.randint(1, 3)):
            first_name, last_name = faker.first_name(), faker.last_name()
            user = User(
                email=login_email(f"{slugify(first_name)}.{slugify(last_name)}.{len(users)}"),
                first_name=first_name,
                last_name=last_name,
                password=password,
            )
            users.append(user)
            memberships.append((user, organisation, i == 0))
    User.objects.bulk_create(users)
    # Verified up front: demo visitors log in without an email round trip.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, is_admin=is_admin)
        for user, organisation, is_admin in memberships
    )
    give_staff_rights(User.objects.get(email=FACILITATOR_EMAIL))
    return {"organisations": len(organisation_by_key), "utilisateurs": len(users), "appartenances": len(memberships)}


def give_staff_rights(user):
    """The demo facilitator is one of the facilitator's staff (``accounts.staff``)."""
    staff.make_staff(user)
