"""Slots of cases' pages (`core.sections`) that higher apps fill from their AppConfig's
`ready`, so cases never imports them: `ACCOUNTABILITY` adds a section to the accountability
page, beside the figures of the cases (proposals: those answered on time, late, overdue or
awaiting; later petitions). A part takes `(request, office)`, where office is None on the page
of all offices, and answers a Section or None. It reads in a fixed number of queries."""

from agora.core.sections import Slot

ACCOUNTABILITY = Slot("cases.ACCOUNTABILITY")
