# The browser and tab fixtures of the e2e suite, for test_widget_e2e.py (screenshots in
# e2e-screenshots/; a console error or a failed request fails the test).
from tests.e2e.conftest import browser, tab  # noqa: F401
