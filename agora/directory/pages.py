"""The places on the directory's pages where other apps add their parts (`core.sections`):
under an office's, a topic's or an area's title (a Follow button), and in the body of an
office's page (its response figures, its announcements) or a topic's (the posts about it).
Each part takes the request and the office, topic or area; a part of "Who handles this?"'s
answer takes the request and the routing result (a next step: report it to that office)."""

from agora.core.sections import Slot

OFFICE_TOP = Slot("office page, under the title")
OFFICE_BODY = Slot("office page, after its units")
TOPIC_TOP = Slot("topic page, under the title")
TOPIC_BODY = Slot("topic page, after its narrower topics")
AREA_TOP = Slot("area page, under the title")
ANSWER = Slot("who-handles-this answer, under the responsible office")
MAP_BODY = Slot("map page, after the list of places")
