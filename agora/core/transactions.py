"""Work to do once a transaction commits, once however many changes asked for it.

A signal receiver that refreshes something derived (the hashtags' links, a cache generation)
runs for every row saved; importing a directory of seventy topics and areas in one
transaction would refresh seventy times after commit. `on_commit_once` schedules the work
under a key; every scheduling of one key in one transaction shares a ticket, and only the
first of them to run does the work. A savepoint rolled back takes its schedulings with it,
so a later change schedules the work again."""

from collections.abc import Callable

from django.db import transaction


class _Ticket:
    done = False


def on_commit_once(key: str, work: Callable[[], None], using: str | None = None) -> None:
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        work()  # outside a transaction every change is already committed
        return
    ticket = None
    for _savepoints, waiting, _robust in connection.run_on_commit:
        waiting_ticket = getattr(waiting, "once_ticket", None)
        if getattr(waiting, "once_key", None) == key and not waiting_ticket.done:
            ticket = waiting_ticket
            break
    ticket = ticket or _Ticket()

    def run() -> None:
        if not ticket.done:
            ticket.done = True
            work()

    run.once_key, run.once_ticket = key, ticket
    transaction.on_commit(run, using=using)
