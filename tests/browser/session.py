"""Signing in through the login page, as a user does: the one helper every browser test uses."""


def log_in(page, live_server, username):
    """Sign ``username`` in (the factories' password) and wait for the home page; any earlier session is dropped."""
    from hitechzone.enterprises.tests import factories as f

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
