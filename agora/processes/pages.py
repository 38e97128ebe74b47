"""Slots of the process page (`core.sections`) that later participation apps fill from their
AppConfig's `ready`, so processes never imports them: `PROCESS_TOP` (under the timeline: a
count, a call to act) and `PROCESS_BODY` (the proposals, the petitions, the results of the
process). A part takes `(request, process)` and answers a Section or None."""

from agora.core.sections import Slot

PROCESS_TOP = Slot("processes.PROCESS_TOP")
PROCESS_BODY = Slot("processes.PROCESS_BODY")
