"""The file email backend writes each message whole into a file of its own, so the worker's
threads sending at once cannot garble one another's messages."""

import email
import threading
from email import policy

from django.core.mail import EmailMultiAlternatives, get_connection


def test_messages_sent_at_once_from_threads_arrive_whole_and_one_per_file(settings, tmp_path):
    settings.EMAIL_BACKEND = "agora.core.mail.FileEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    body = "A long paragraph about the bike lane on Calle Mayor. " * 400  # many writes' worth

    def send(number):
        message = EmailMultiAlternatives(
            f"Case {number}",
            body,
            "noreply@example.org",
            [f"r{number}@example.org"],
            connection=get_connection(),
        )
        message.attach_alternative(f"<p>{body}</p>", "text/html")
        message.send()

    threads = [threading.Thread(target=send, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 40 and not list(tmp_path.glob(".*"))
    subjects = {
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
        for path in files
    }
    assert subjects == {f"Case {number}" for number in range(40)}
