"""The email backend for machines without SMTP (development, the bench): each message is
written whole to a file of its own and renamed into place. Django's file backend appends the
messages of one connection to one file named by the second and the object's id, so the
worker's threads, sending at once, can interleave their writes into one garbled file."""

import os
import uuid
from datetime import datetime
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend


class FileEmailBackend(DjangoFileBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(self.file_path)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex}.eml"
            partial = directory / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\n"))
            os.replace(partial, directory / name)
            sent += 1
        return sent
