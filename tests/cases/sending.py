"""Sending a case through the pages, as a resident does."""

SEND_FIELDS = ("photo", "photo_alt", "visibility")


def send_case(client, data):
    """Ask or report as the pages do: what and where, then the check page (a photo, who sees
    it) and Send. Answers the last response."""
    details = {name: value for name, value in data.items() if name not in SEND_FIELDS}
    response = client.post("/cases/new/", details)
    if response.status_code != 302 or response.url != "/cases/new/check/":
        return response
    send = {name: value for name, value in data.items() if name in SEND_FIELDS}
    return client.post("/cases/new/check/", send)
