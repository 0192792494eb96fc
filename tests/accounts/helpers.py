"""What a person does with the emails Passerelle sends them: find the link and follow it."""

import re

from django.core import mail


def link_in_last_email(to):
    """The path of the first Passerelle link in the last email sent to ``to``."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    url = re.search(r"https?://[^\s/]+(/\S+)", message.body)
    assert url, message.body
    return url.group(1)


def sign_up(client, email, *, next_url=None, password="un-mot-de-passe-solide-2026"):
    """Fills in the sign-up form as a visitor would; returns the final response."""
    path = "/comptes/signup/" + (f"?next={next_url}" if next_url else "")
    data = {"first_name": "Léa", "last_name": "Martin", "email": email, "password1": password, "password2": password}
    if next_url:
        data["next"] = next_url
    return client.post(path, data, follow=True)


def confirm_email(client, email):
    """Opens the verification link sent to ``email`` and confirms, as allauth asks (POST)."""
    path = link_in_last_email(email)
    assert client.get(path).status_code == 200
    return client.post(path, follow=True)
