"""The fake Invision's ``calendar`` and ``forums`` apps.

Quirks reproduced on purpose: an event edit rewrites ``start``, ``end`` and
``description`` whether sent or not, and never clears the all-day flag (the
guide's gotcha 7); offsets are not converted (gotcha 8); topics cannot go
into a category (gotcha 5); HTML from an API key is stored verbatim.
"""

from __future__ import annotations

from datetime import datetime

from pspn_adapters.invision.fake.handlers import (
    Answer,
    ApiError,
    Fields,
    Handler,
    Params,
    find_member,
    id_filter,
    paginate,
    parse_int,
    parse_when,
    sort_by,
)
from pspn_adapters.invision.fake.state import Event, PostRecord, State, Topic

__all__ = ["CONTENT"]


def calendars_index(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    status, page = paginate(sorted(state.calendars.values(), key=lambda c: c.id), query)
    page["results"] = [state.render_calendar(c) for c in page["results"]]
    return status, page


def calendar_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    calendar = state.calendars.get(int(path["id"]))
    if calendar is None:
        raise ApiError(404, "1L364/1", "INVALID_ID")
    return 200, state.render_calendar(calendar)


def events_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    found = list(state.events.values())
    for name, attribute in (("ids", "id"), ("calendars", "calendar"), ("authors", "author")):
        wanted = id_filter(query, name)
        if wanted is not None:
            found = [e for e in found if getattr(e, attribute) in wanted]
    for name in ("rangeStart", "rangeEnd"):
        if name in query:
            day = parse_when(str(query[name]))
            if day is None:
                raise ApiError(403, "1L296/M", "INVALID_DATE")
            if name == "rangeStart":
                found = [e for e in found if (e.end or e.start) >= day]
            else:
                found = [e for e in found if e.start < day.replace(hour=23, minute=59)]
    keys = {"date": "posted", "start": "start", "title": "title"}
    found = sort_by(found, query, keys)
    status, page = paginate(found, query)
    page["results"] = [state.render_event(e) for e in page["results"]]
    return status, page


def event_create(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    calendar = state.calendars.get(parse_int(form.get("calendar")) or 0)
    if calendar is None:
        raise ApiError(400, "1L296/6", "NO_CALENDAR")
    author = find_member(state, form.get("author"), "1L296/7", "NO_AUTHOR", status=400)
    if not form.get("title"):
        raise ApiError(400, "1L296/8", "NO_TITLE")
    if not form.get("description"):
        raise ApiError(400, "1L296/9", "NO_DESC")
    start = parse_when(str(form.get("start", "")))
    if start is None:
        raise ApiError(400, "1L296/A", "INVALID_START")
    end = None
    if "end" in form:
        end = parse_when(str(form["end"]))
        if end is None or end < start:
            raise ApiError(400, "1L296/B", "INVALID_END")
    ident = state.next_id("event")
    state.events[ident] = Event(
        ident, calendar.id, str(form["title"]), str(form["description"]),
        start, end, author.id, now.replace(tzinfo=None),
    )  # fmt: skip
    state.outbox.append(("calendarEvent_create", state.render_event(state.events[ident])))
    return 201, state.render_event(state.events[ident])


def _event(state: State, path: Params, code: str) -> Event:
    event = state.events.get(int(path["id"]))
    if event is None:
        raise ApiError(404, code, "INVALID_ID")
    return event


def event_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    return 200, state.render_event(_event(state, path, "2L296/1"))


def event_edit(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    """Edit an event, rewriting start, end and description whether sent or not (gotcha 7)."""
    event = _event(state, path, "1L296/D")
    if "calendar" in form:
        calendar = state.calendars.get(parse_int(form["calendar"]) or 0)
        if calendar is None:
            raise ApiError(400, "1L296/D", "NO_CALENDAR")
        event.calendar = calendar.id
    if "author" in form:
        event.author = find_member(state, form["author"], "1L296/E", "NO_AUTHOR", status=400).id
    start = parse_when(str(form["start"])) if "start" in form else now.replace(tzinfo=None)
    if start is None:
        raise ApiError(400, "1L296/G", "INVALID_START")
    end = parse_when(str(form["end"])) if "end" in form else None
    if "end" in form and (end is None or end < start):
        raise ApiError(400, "1L296/H", "INVALID_END")
    if form.get("title"):
        event.title = str(form["title"])
    event.start = start.replace(second=0, microsecond=0)
    event.end = None if event.all_day else end
    event.description = str(form.get("description", ""))
    return 200, state.render_event(event)


def event_delete(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    event = _event(state, path, "2L296/5")
    del state.events[event.id]
    return 200, None


# -- forums --------------------------------------------------------------------


def forums_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    found = sorted(state.forums.values(), key=lambda f: f.id)
    if query.get("clubs") == "0":
        found = [f for f in found if f.club is None]
    status, page = paginate(found, query)
    page["results"] = [state.render_forum(f) for f in page["results"]]
    return status, page


def topics_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    found = list(state.topics.values())
    for name, attribute in (("ids", "id"), ("forums", "forum"), ("authors", "author")):
        wanted = id_filter(query, name)
        if wanted is not None:
            found = [t for t in found if getattr(t, attribute) in wanted]
    found = sort_by(found, query, {"date": "date", "title": "title", "updated": "date"})
    status, page = paginate(found, query)
    page["results"] = [state.render_topic(t) for t in page["results"]]
    return status, page


def topic_create(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    forum = state.forums.get(parse_int(form.get("forum")) or 0)
    if forum is None:
        raise ApiError(400, "1F294/2", "NO_FORUM")
    author = find_member(state, form.get("author"), "1F294/3", "NO_AUTHOR", status=400)
    if not form.get("title"):
        raise ApiError(400, "1F294/5", "NO_TITLE")
    if not form.get("post"):
        raise ApiError(400, "1F294/4", "NO_POST")
    if forum.type in ("category", "redirect"):
        raise ApiError(403, "2F294/C", "NO_PERMISSION")
    ident = state.next_id("topic")
    topic = Topic(ident, forum.id, str(form["title"]), author.id, now)
    topic.posts.append(PostRecord(state.next_id("post"), ident, author.id, str(form["post"]), now))
    state.topics[ident] = topic
    state.outbox.append(("forumsTopic_create", state.render_topic(topic)))
    return 201, state.render_topic(topic)


def topic_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    topic = state.topics.get(int(path["id"]))
    if topic is None:
        raise ApiError(404, "2F294/9", "INVALID_ID")
    return 200, state.render_topic(topic)


def post_create(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    topic = state.topics.get(parse_int(form.get("topic")) or 0)
    if topic is None:
        raise ApiError(403, "1F295/1", "NO_TOPIC")
    author = find_member(state, form.get("author"), "1F295/2", "NO_AUTHOR", status=403)
    if not form.get("post"):
        raise ApiError(403, "1F295/3", "NO_POST")
    post = PostRecord(state.next_id("post"), topic.id, author.id, str(form["post"]), now)
    topic.posts.append(post)
    return 201, state.render_post(post)


CONTENT: dict[str, Handler] = {
    "calendar_calendars_GETindex": calendars_index,
    "calendar_calendars_GETitem": calendar_item,
    "calendar_events_GETindex": events_index,
    "calendar_events_POSTindex": event_create,
    "calendar_events_GETitem": event_item,
    "calendar_events_POSTitem": event_edit,
    "calendar_events_DELETEitem": event_delete,
    "forums_forums_GETindex": forums_index,
    "forums_topics_GETindex": topics_index,
    "forums_topics_POSTindex": topic_create,
    "forums_topics_GETitem": topic_item,
    "forums_posts_POSTindex": post_create,
}
