"""SelfCommunity v2 component schemas and operations, written from
spec/selfcommunity-status-api.md (sections 1.2-1.6 and 2.1-2.10): integer ids, `{count, next,
previous, results}` pages, `{"errors": [...]}` errors."""


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def obj(required: dict, optional: dict | None = None, **extra) -> dict:
    """An object whose `required` keys must be there; further keys are allowed (the SDK ignores
    them, and a new field is not a breaking change)."""
    return {"type": "object", "properties": {**required, **(optional or {})},
            "required": sorted(required), **extra}


INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
NSTR = {"type": ["string", "null"]}
NINT = {"type": ["integer", "null"]}
NTIME = {"type": ["string", "null"], "format": "date-time"}


def page(item: dict) -> dict:
    return obj({"count": INT, "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": {"type": "array", "items": item}})


# The schema names of each contribution type: SCStatus, SCPost, SCDiscussion (and their search
# results and "added" marks).
NAMES = {"status": "Status", "post": "Post", "discussion": "Discussion"}


def _contribution_schemas(kind: str) -> dict:
    """SelfCommunity's Status (spec 2.1) and what a post (a poll) and a discussion (a title and
    a poll) add to it, with the search result and the followed/suspended mark of each."""
    name = NAMES[kind]
    fields = {
        "id": INT, "type": {"const": kind}, "action": NSTR, "last_activity_at": TIME,
        "author": ref("SCUser"), "added_at": TIME, "last_edited_at": NTIME, "html": STR,
        "summary": STR, "deleted": BOOL, "collapsed": BOOL, "comment_count": INT,
        "view_count": INT, "vote_count": INT,
        "reactions_count": {"type": "array", "items": ref("SCReactionCount")},
        "voted": BOOL, "reaction": nullable(ref("SCReaction")), "follower_count": INT,
        "followed": BOOL, "suspended": BOOL, "flag_count": INT, "share_count": INT, "slug": STR,
        "categories": {"type": "array", "items": ref("SCCategory")},
        "medias": {"type": "array", "items": ref("SCMedia")},
        "location": nullable(ref("SCLocation")),
        "addressing": {"type": "array", "items": ref("SCTag")},
        "tags": {"type": "array", "items": INT},
    }
    if kind != "status":
        fields["poll"] = nullable(ref("SCPoll"))
    if kind == "discussion":
        fields["title"] = STR
    return {f"SC{name}": obj(fields),
            f"SCSearch{name}": {"allOf": [ref(f"SC{name}"), obj({"matches": {"type": "array"}})]},
            f"SC{name}Added": obj({kind: ref(f"SC{name}"), "added_at": TIME})}


SCHEMAS = {
    "SCErrors": obj({"errors": {"type": "array", "minItems": 1, "items": {"oneOf": [
        obj({"code": STR, "message": STR}, additionalProperties=False),
        obj({"field": STR, "messages": {}}, additionalProperties=False),
    ]}}}, description="Every SelfCommunity error (spec 2.10): non-field errors carry `code` and "
       "`message`; field errors carry `field` and `messages` (a list of `{code, message}`, or "
       "nested field errors)."),
    "SCTag": obj({"id": INT, "type": {"enum": ["user", "category", "contribution"]}, "name": STR,
                  "description": NSTR, "color": STR, "visible": BOOL, "visibility_boost": BOOL,
                  "created_at": TIME, "active": BOOL, "deleted": BOOL}),
    "SCUser": obj({"id": INT, "username": STR, "real_name": STR, "avatar": STR, "ext_id": NSTR,
                   "followings_counter": INT, "followers_counter": INT, "posts_counter": INT,
                   "discussions_counter": INT, "polls_counter": INT, "categories_counter": INT,
                   "connection_status": NSTR, "date_joined": TIME, "bio": STR,
                   "location": STR, "location_lat_lng": NSTR, "position_lat_lng": NSTR,
                   "date_of_birth": NSTR, "description": STR, "gender": STR, "website": STR,
                   "cover": NSTR, "tags": {"type": "array", "items": ref("SCTag")},
                   "reputation": INT, "community_badge": BOOL, "reg_approved": BOOL,
                   "deleted": BOOL, "company_name": NSTR, "company_role": NSTR},
                  {"statuses_counter": INT}),
    "SCReaction": obj({"id": INT, "label": STR, "image": STR, "sentiment": INT, "active": BOOL}),
    "SCReactionCount": obj({"reaction": ref("SCReaction"), "count": INT}),
    "SCCategory": obj({"id": INT, "tags": {"type": "array", "items": ref("SCTag")},
                       "followed": BOOL, "order": INT, "name": STR, "name_synonyms": NSTR,
                       "slug": STR, "slogan": NSTR, "html_info": NSTR, "seo_title": NSTR,
                       "seo_description": NSTR,
                       "auto_follow": {"enum": ["none", "default", "forced"]},
                       "content_only_staff": BOOL, "active": BOOL, "image_original": NSTR,
                       "image_bigger": NSTR, "image_big": NSTR, "image_medium": NSTR,
                       "image_small": NSTR, "emotional_image_original": NSTR,
                       "emotional_image_position": INT, "lastmod_datetime": TIME,
                       "stream_order_by": {"enum": ["recent", "last_activity", "relevance"]},
                       "followers_counter": INT, "parents": {"type": "array", "items": INT}},
                      {"deleted": BOOL}),
    "SCEmbed": obj({"id": INT, "embed_type": STR, "embed_id": STR, "url": NSTR,
                    "metadata": {"type": ["object", "null"]}}),
    "SCMedia": obj({"id": INT, "added_at": TIME,
                    "type": {"enum": ["image", "url", "embed", "eimage", "doc", "share"]},
                    "title": NSTR, "description": NSTR, "url": NSTR, "image": NSTR,
                    "image_width": NINT, "image_height": NINT, "order": NINT,
                    "embed": nullable(ref("SCEmbed"))},
                   {"image_mimetype": NSTR, "image_thumbnail": {"type": ["object", "null"]},
                    "size": NINT, "mimetype": NSTR}),
    "SCChunkMedia": obj({"upload_id": STR, "offset": INT, "expires": TIME}),
    "SCLocation": obj({"location": NSTR, "lat": {"type": ["number", "null"]},
                       "lng": {"type": ["number", "null"]}}),
    **{name: schema for kind in ("status", "post", "discussion")
       for name, schema in _contribution_schemas(kind).items()},
    "SCContribution": {"oneOf": [ref("SCStatus"), ref("SCPost"), ref("SCDiscussion")],
                       "description": "A status, post or discussion; `type` says which."},
    "SCPollChoice": obj({"id": INT, "choice": STR, "order": INT, "added_at": TIME,
                         "deleted": BOOL, "vote_count": INT, "voted": BOOL}),
    "SCPoll": obj({"id": INT, "title": STR, "multiple_choices": BOOL, "added_at": TIME,
                   "modified_at": TIME, "closed": BOOL, "closed_at": NTIME,
                   "expiration_at": NTIME, "hidden": BOOL,
                   "choices": {"type": "array", "items": ref("SCPollChoice")}},
                  description="A post's or discussion's poll: the status's Mastodon poll "
                              "(choice ids are the poll's id times 1000 plus the position)."),
    "SCPollVote": obj({"id": INT, "choice": INT, "user": ref("SCUser"), "added_at": TIME}),
    "SCObjectRef": obj({"id": INT, "slug": STR}),
    "SCComment": obj({
        "id": INT, "type": {"const": "comment"},
        "author": ref("SCUser"), "added_at": TIME, "last_edited_at": NTIME, "html": STR,
        "summary": STR, "deleted": BOOL, "collapsed": BOOL, "parent": NINT, "in_reply_to": NINT,
        "comment_count": INT, "vote_count": INT,
        "reactions_count": {"type": "array", "items": ref("SCReactionCount")},
        "voted": BOOL, "reaction": nullable(ref("SCReaction")), "flag_count": INT,
    }, {"latest_comments": {"type": "array", "items": {"type": "object"}},
        # The contribution commented, under the key of its type (exactly one of them).
        "status": ref("SCObjectRef"), "post": ref("SCObjectRef"),
        "discussion": ref("SCObjectRef")}),
    "SCVote": obj({"user": ref("SCUser"), "reaction": ref("SCReaction"), "voted_at": TIME}),
    "SCFlag": obj({"user": ref("SCUser"), "added_at": TIME, "flag_type": INT,
                   "flag_type_description": STR}),
    "SCFlagStatus": obj({"added_at": TIME, "flag_type": INT, "flag_type_description": STR}),
    "SCFeedItem": obj({"type": {"enum": ["status", "post", "discussion"]},
                       "seen": BOOL, "seen_by_id": {"type": "array", "items": INT},
                       "has_boost": BOOL},
                      {"status": ref("SCStatus"), "post": ref("SCPost"),
                       "discussion": ref("SCDiscussion")},
                      description="A feed item holds its contribution under the key its "
                                  "`type` names."),
    "SCFlaggedContribution": obj({
        "contribution_type": {"enum": ["status", "comment", "post", "discussion"]},
        "contribution": {"oneOf": [ref("SCStatus"), ref("SCPost"), ref("SCDiscussion"),
                                   ref("SCComment")]},
        "last_flagged_at": NTIME, "moderation_status": NSTR, "moderation_type": NINT,
        "moderation_by": nullable(ref("SCUser")), "moderation_at": NTIME},
        description="A flagged status or comment with its moderation state (the SDK's "
        "SCFlaggedContributionType)."),
    "SCModerationStatus": obj({"status": NSTR, "flag_type": NINT,
                               "flag_type_description": NSTR}),
    # SCNotificationType and its kinds (comment, nested_comment, mention, vote_up,
    # collapsed_for_*, deleted_for_*, kindly_notice_*), each about a status or a comment.
    "SCNotification": obj({"is_new": BOOL, "sid": STR, "type": STR, "active_at": TIME},
                          {"status": ref("SCStatus"), "post": ref("SCPost"),
                           "discussion": ref("SCDiscussion"), "comment": ref("SCComment"),
                           "user": ref("SCUser")}),
    "SCNotificationAggregated": obj(
        {"sid": STR, "is_new": BOOL,
         "aggregated": {"type": "array", "items": ref("SCNotification")}},
        {"status": ref("SCStatus"), "post": ref("SCPost"), "discussion": ref("SCDiscussion")},
        description="The notifications about one status (its comments, mentions, votes and "
                    "the moderators' warnings), newest first"),
    "SCPreference": obj({"id": INT, "section": STR, "name": STR,
                         "value": {"type": ["string", "integer", "boolean", "null"]},
                         "type": {"enum": ["boolean", "integer", "string", "url"]},
                         "help": STR},
                        description="A dynamic preference (`section.name`, react-core's "
                        "SCPreferences): booleans and integers as JSON values"),
    "SCFeature": obj({"id": INT, "name": STR, "enabled": BOOL}),
    "SCCustomMenuItem": obj({"id": INT, "custom_menu": INT, "label": STR, "url": STR,
                             "attrs": STR, "order": INT}),
    "SCCustomMenu": obj({"id": INT, "name": STR,
                         "items": {"type": "array", "items": ref("SCCustomMenuItem")},
                         "created_at": TIME, "updated_at": TIME}),
    "SCUserSettings": obj({"qa_frequency": {"enum": [-1, 0, 1]},
                           "email_notification_not_qa": {"enum": [0, 1]},
                           "mobile_notifications_scmty": {"enum": [0, 1]},
                           "show_toast_notifications": {"enum": [0, 1]},
                           "toast_notifications_emit_sound": {"enum": [0, 1]}}),
    "SCPermission": obj({name: BOOL for name in (
        "create_contribute", "create_poll", "upload_video", "create_group", "create_event",
        "create_course", "create_live_stream", "locality_filter", "moderate_contributions",
        "moderate_users", "manage_categories", "admin")}),
    "SCUserMe": {"allOf": [ref("SCUser"), obj({
        "email": STR, "email_isvalid": BOOL, "language": STR, "status": STR,
        "role": {"enum": ["admin", "moderator", None]}, "permission": ref("SCPermission"),
        "unseen_interactions_counter": INT, "unseen_notification_banners_counter": INT,
        "can_send_pm_to": BOOL})],
        "description": "The signed-in user: the User with its role, permissions and counters"},
    "SCUserAutocomplete": obj({"id": INT, "username": STR, "real_name": STR, "avatar": STR,
                               "ext_id": NSTR}),
}

_STATUS_BODY = {"type": "object", "properties": {
    "action": NSTR, "text": STR, "categories": {"type": "array", "items": INT},
    "medias": {"type": "array", "items": INT}, "addressing": {"type": "array", "items": INT},
    "location": {"type": ["object", "null"]}}, "required": ["categories"]}
_POLL_BODY = {"type": "object", "required": ["title", "choices"], "properties": {
    "title": STR, "multiple_choices": BOOL, "expiration_at": NTIME, "hidden": BOOL,
    "choices": {"type": "array", "minItems": 2, "maxItems": 4, "items": {
        "type": "object", "required": ["choice"], "properties": {"choice": STR}}}}}
_POST_BODY = {"type": "object", "properties": {
    **_STATUS_BODY["properties"], "poll": {"oneOf": [_POLL_BODY, {"type": "null"}]},
    "title": {"type": "string", "description": "sent empty by the Composer; not kept"}},
    "required": ["categories"]}
_DISCUSSION_BODY = {**_POST_BODY, "properties": {
    **_POST_BODY["properties"], "title": {"type": "string", "minLength": 1, "maxLength": 160}},
    "required": ["categories", "title"]}
_COMMENT_BODY = {"type": "object", "properties": {"status": INT, "post": INT,
                                                  "discussion": INT, "text": STR, "parent": NINT,
                                                  "in_reply_to": NINT, "medias": {
                                                      "type": "array", "items": INT}}}
_OBJECTS = {"type": "object", "required": ["object"], "properties": {
    "object": {"type": "array", "minItems": 1, "maxItems": 100, "items": INT}}}
_LIMIT = [{"name": "limit", "in": "query", "schema": INT},
          {"name": "offset", "in": "query", "schema": INT}]


def _op(summary, code, schema=None, *, body=None, query=(), errors=()):
    return {"summary": summary, "success": code, "schema": schema, "requestBody": (
        {"content": {"application/json": {"schema": body}}} if body else None),
        "parameters": list(query), "errors": tuple(errors)}


def _page(name):
    return page(ref(name))


def _contribution_operations(kind: str) -> dict:
    """The operations of one route family, /api/v2/{kind}/ (the same views, told their type),
    and the poll votes of posts and discussions."""
    name, a = NAMES[kind], f"a {kind}"
    body = _STATUS_BODY if kind == "status" else _POST_BODY if kind == "post" else \
        _DISCUSSION_BODY
    base = f"/api/v2/{kind}/"
    ops = {
        f"GET {base}": _op(f"List {kind}s", 200, _page(f"SC{name}"), query=[
            *_LIMIT, {"name": "ordering", "in": "query", "schema": {
                "type": "string", "description": "added_at, -added_at (default), "
                "last_activity_at or -last_activity_at; anything else is the default"}}]),
        f"POST {base}": _op(f"Create {a}", 201, ref(f"SC{name}"), body=body, errors=(400,)),
        f"GET {base}search/": _op(f"Search {kind}s", 200, _page(f"SCSearch{name}"), query=[
            *_LIMIT, {"name": "search", "in": "query", "schema": STR}]),
        f"GET {base}uncommented/": _op(f"{name}s without comments", 200, _page(f"SC{name}"),
                                       query=_LIMIT),
        f"GET {base}following/": _op(f"{name}s I follow", 200, _page(f"SC{name}Added"),
                                     query=_LIMIT),
        f"GET {base}suspended/": _op(f"{name}s whose notifications I suspended", 200,
                                     _page(f"SC{name}Added"), query=_LIMIT),
        f"GET {base}{{id}}/": _op(f"Get {a}", 200, ref(f"SC{name}")),
        f"PUT {base}{{id}}/": _op(f"Update {a}", 200, ref(f"SC{name}"), body=body,
                                  errors=(400,)),
        f"DELETE {base}{{id}}/": _op(f"Delete {a}", 204),
        f"POST {base}{{id}}/restore/": _op(f"Restore a deleted {kind}", 204),
        f"POST {base}{{id}}/vote/": _op("Vote (react) or remove the vote", 204, query=[
            {"name": "reaction", "in": "query", "schema": INT}], errors=(400,)),
        f"GET {base}{{id}}/vote/": _op(f"Votes of {a}", 200, _page("SCVote"), query=[
            *_LIMIT, {"name": "reaction", "in": "query", "schema": INT}]),
        f"POST {base}{{id}}/flag/": _op(f"Flag or unflag {a}", 204, body={
            "type": "object", "properties": {"flag_type": {"enum": [0, 1, 2, 3, 4]}}},
            errors=(400,)),
        f"GET {base}{{id}}/flag/": _op(f"Flags of {a} (moderators)", 200, _page("SCFlag"),
                                       query=_LIMIT),
        f"GET {base}{{id}}/flag/status/": _op(f"My flag on {a}", 200, ref("SCFlagStatus")),
        f"POST {base}{{id}}/follow/": _op(f"Follow or unfollow {a}", 204),
        f"GET {base}{{id}}/following/": _op(f"Whether I follow {a}", 200,
                                            obj({"following": BOOL})),
        f"POST {base}{{id}}/suspend/": _op("Suspend or resume notifications", 204),
        f"GET {base}{{id}}/suspended/": _op("Whether notifications are suspended", 200,
                                            obj({"suspended": BOOL})),
        f"POST {base}{{id}}/hide/": _op(f"Hide or show {a} in my feed", 204),
        f"GET {base}{{id}}/hide/status/": _op(f"Whether I hid {a}", 200,
                                              obj({"hidden": BOOL})),
        f"GET {base}{{id}}/contributors/": _op("Who commented", 200, _page("SCUser"),
                                               query=_LIMIT),
        f"GET {base}{{id}}/shares/": _op(f"Contributions sharing this {kind}", 200,
                                         _page("SCContribution"), query=_LIMIT),
        f"GET {base}{{id}}/shares_users/": _op("Who shared", 200, _page("SCUser"),
                                               query=_LIMIT),
        f"GET {base}{{id}}/related/": _op("Related contributions", 200,
                                          _page("SCContribution"), query=_LIMIT),
    }
    if kind != "status":
        ops[f"POST {base}{{id}}/poll/vote/"] = _op(
            "Choose a poll choice, or withdraw it when chosen", 204,
            body={"type": "object", "required": ["choice"], "properties": {"choice": INT}},
            errors=(400,))
        ops[f"GET {base}{{id}}/poll/vote/"] = _op(
            "My votes in the poll", 200, _page("SCPollVote"),
            query=[*_LIMIT, {"name": "choice", "in": "query", "schema": INT}])
    return ops


# "METHOD path" -> what the operation answers. Errors 401, 403 and 404 (for a path with an id)
# are added from the views' token rules by the generator; `errors` lists the others.
OPERATIONS = {
    **{key: op for kind in ("status", "post", "discussion")
       for key, op in _contribution_operations(kind).items()},
    "GET /api/v2/feed/": _op("My feed", 200, _page("SCFeedItem"), query=_LIMIT),
    "GET /api/v2/feed/explore/": _op("The explore feed", 200, _page("SCFeedItem"),
                                     query=_LIMIT),
    "GET /api/v2/feed/unseen/count/": _op(
        "How many statuses of my feed I have not seen (up to SC_LIST_COUNT_CAP)", 200,
        obj({"count": INT, "total": INT})),
    "POST /api/v2/feed/read/": _op("Mark statuses of my feed seen", 204, body=_OBJECTS,
                                   errors=(400, 404)),
    "POST /api/v2/feed/likethis/": _op(
        "Statuses like these (sharing a category with one of them), newest first", 200,
        _page("SCFeedItem"), body=_OBJECTS, query=_LIMIT, errors=(400, 404)),
    "GET /api/v2/user/{id}/feed/": _op("The statuses an account wrote, newest first", 200,
                                       _page("SCFeedItem"), query=_LIMIT),
    "GET /api/v2/category/{id}/feed/": _op("The statuses of a category, newest first", 200,
                                           _page("SCFeedItem"), query=_LIMIT),
    "GET /api/v2/category/{id}/feed/trending/": _op(
        "The statuses of a category active in the last 30 days, the most recently active "
        "first", 200, _page("SCFeedItem"), query=_LIMIT),
    "GET /api/v2/comment/": _op("Comments of a status, post or discussion", 200,
                                _page("SCComment"), query=[
        *_LIMIT,
        *({"name": name, "in": "query", "schema": INT,
           "description": f"the comments of this {name} (exactly one of status, post and "
                          "discussion)"} for name in ("status", "post", "discussion")),
        {"name": "parent", "in": "query", "schema": INT,
         "description": "the comments of this top-level comment's branch"},
        {"name": "ordering", "in": "query", "schema": {
            "type": "string", "description": "added_at (default) or connection, `-` for "
            "descending, comma-combined; unknown parts are ignored"}},
        {"name": "user", "in": "query", "schema": INT,
         "description": "SelfCommunity's comments of a user: refused (400 on `user`)"}],
        errors=(400,)),
    "POST /api/v2/comment/": _op("Comment on a status, post or discussion", 201, ref("SCComment"),
                                 body=_COMMENT_BODY, errors=(400,)),
    "GET /api/v2/comment/{id}/": _op("Get a comment", 200, ref("SCComment")),
    "PUT /api/v2/comment/{id}/": _op("Edit a comment", 200, ref("SCComment"),
                                     body=_COMMENT_BODY, errors=(400,)),
    "DELETE /api/v2/comment/{id}/": _op("Delete a comment", 204),
    "POST /api/v2/comment/{id}/restore/": _op("Restore a comment", 204),
    "POST /api/v2/comment/{id}/vote/": _op("Vote (react) on a comment", 204, query=[
        {"name": "reaction", "in": "query", "schema": INT}], errors=(400,)),
    "GET /api/v2/comment/{id}/vote/": _op("Votes of a comment", 200, _page("SCVote"), query=[
        *_LIMIT, {"name": "reaction", "in": "query", "schema": INT}]),
    "POST /api/v2/comment/{id}/flag/": _op("Flag or unflag a comment", 204, body={
        "type": "object", "properties": {"flag_type": INT, "flagType": INT}}, errors=(400,)),
    "GET /api/v2/comment/{id}/flag/": _op("Flags of a comment (moderators)", 200,
                                          _page("SCFlag"), query=_LIMIT),
    "GET /api/v2/comment/{id}/flag/status/": _op("My flag on a comment", 200,
                                                 ref("SCFlagStatus")),
    "GET /api/v2/moderation/contribution/": _op(
        "Contributions to moderate", 200, _page("SCFlaggedContribution"), query=[
            *_LIMIT,
            {"name": "contribution_type", "in": "query",
             "schema": {"enum": ["status", "comment", "post", "discussion"]}},
            {"name": "min_flags", "in": "query", "schema": INT},
            {"name": "contribution_id", "in": "query", "schema": INT},
            {"name": "author", "in": "query", "schema": STR,
             "description": "part of the author's username"},
            {"name": "flagged_by", "in": "query", "schema": STR,
             "description": "part of a flagger's username"},
            {"name": "content", "in": "query", "schema": STR,
             "description": "part of the text"},
            {"name": "moderation_status", "in": "query",
             "schema": {"enum": ["open", "ignored", "hidden", "deleted"]}},
            {"name": "order_by", "in": "query", "schema": {"enum": [
                "last_flagged_at", "-last_flagged_at", "flag_count", "-flag_count",
                "last_moderated_at", "-last_moderated_at"]}}],
        errors=(400,)),
    "GET /api/v2/moderation/contribution/{id}/flag/": _op(
        "Flags of a contribution (moderators)", 200, _page("SCFlag"), query=[
            *_LIMIT, {"name": "contribution_type", "in": "query", "required": True,
                      "schema": {"enum": ["status", "comment", "post", "discussion"]}},
            {"name": "flag_type", "in": "query", "schema": {"enum": [0, 1, 2, 3, 4]}}],
        errors=(400,)),
    "GET /api/v2/moderation/contribution/{id}/status/": _op(
        "Moderation status of a contribution", 200, ref("SCModerationStatus"), query=[
            {"name": "contribution_type", "in": "query", "required": True,
             "schema": {"enum": ["status", "comment", "post", "discussion"]}}], errors=(400,)),
    "PATCH /api/v2/moderation/contribution/{id}/": _op(
        "Moderate a contribution", 200, ref("SCFlaggedContribution"), body={
            "type": "object", "required": ["contribution_type", "action"], "properties": {
                "contribution_type": {"enum": ["status", "comment", "post", "discussion"]}, "action": STR,
                "moderation_type": INT}}, errors=(400,)),
    "POST /api/v2/media/": _op("Create a media (a share of a status)", 201, ref("SCMedia"),
                               body={"type": "object", "required": ["type"], "properties": {
                                   "type": STR, "url": STR, "shared_object": INT}},
                               errors=(400,)),
    "POST /api/v2/media/upload/chunk/": {
        **_op("Upload one piece of an image or document", 201, ref("SCChunkMedia"),
              query=[{"name": "Content-Range", "in": "header", "required": True,
                      "schema": {"type": "string", "pattern": r"^bytes \d+-\d+/\d+$"},
                      "description": "bytes start-end/total, end inclusive"}],
              errors=(400, 404, 410)),
        "requestBody": {"content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": {
                "upload_id": {**STR, "description": "from the first piece's answer; absent "
                              "on the first piece"},
                "image": {"type": "string", "contentMediaType": "application/octet-stream"},
                "document": {"type": "string",
                             "contentMediaType": "application/octet-stream"}}}}}},
        "description": "The first piece (no `upload_id`) starts an upload at byte 0; each "
                       "further piece must start where the stored bytes end, or the 400 "
                       "carries `offset` to resume from. Limits are those of single uploads "
                       "(images, documents), checked against the announced total.",
    },
    "POST /api/v2/media/upload/complete/": _op(
        "Complete a chunked upload: the Media", 201, ref("SCMedia"), body={
            "type": "object", "required": ["upload_id", "md5"], "properties": {
                "upload_id": STR, "md5": STR,
                "type": {"enum": ["image", "doc", "document", "eimage"]}}},
        errors=(400, 404, 410)),
    "GET /api/v2/media/{id}/": _op("A media (one's own, or on a status one may see)", 200,
                                   ref("SCMedia")),
    "DELETE /api/v2/media/{id}/": _op("Delete one's own media that no status uses", 204),
    "POST /api/v2/media/{id}/click/": _op("Count a click on a media", 204, body={
        "type": "object", "properties": {"ip": NSTR}}),
    "GET /api/v2/category/": _op("Categories", 200, _page("SCCategory"), query=_LIMIT),
    "GET /api/v2/category/{id}/": _op("A category", 200, ref("SCCategory")),
    "GET /api/v2/reaction/": _op("Reactions", 200, _page("SCReaction"), query=_LIMIT),
    "GET /api/v2/reaction/{id}/": _op("A reaction", 200, ref("SCReaction")),
    "GET /api/v2/notification/": _op("My notifications, aggregated by status", 200,
                                     _page("SCNotificationAggregated"), query=_LIMIT),
    "POST /api/v2/notification/read/": _op(
        "Mark notifications (and the older ones of their aggregates) read", 204,
        body={"type": "object", "required": ["sids"], "properties": {
            "sids": {"type": "array", "items": STR}}}, errors=(400,)),
    "GET /api/v2/notification/unseen/count/": _op("How many notifications are unread", 200,
                                                  obj({"count": INT})),
    "GET /api/v2/user/tag/tags_to_address_a_contribution/": _op(
        "Tags I may address a contribution to", 200, {"type": "array", "items": ref("SCTag")}),
    "GET /api/v2/dynamic_preference/": _op(
        "The community's preferences (all of them unless `limit` is given)", 200,
        _page("SCPreference"), query=[
            *_LIMIT, {"name": "search", "in": "query", "schema": STR,
                      "description": "part of the name"},
            {"name": "section", "in": "query", "schema": STR},
            {"name": "keys", "in": "query", "schema": STR,
             "description": "`section.name` keys, comma-separated"},
            {"name": "ordering", "in": "query", "schema": STR,
             "description": "id, name, section or value, `-` for descending, "
                            "comma-combined; unknown ones are ignored"}]),
    "GET /api/v2/dynamic_preference/{id}/": _op("A preference", 200, ref("SCPreference")),
    "GET /api/v2/feature/": _op("The features and whether each is enabled", 200,
                                _page("SCFeature"), query=_LIMIT),
    "GET /api/v2/custom_menu/": _op("Custom menus", 200, _page("SCCustomMenu"), query=_LIMIT),
    "GET /api/v2/custom_menu/search/": _op("Custom menus by name", 200, _page("SCCustomMenu"),
                                           query=[*_LIMIT, {"name": "search", "in": "query",
                                                            "schema": STR,
                                                            "description": "part of the name"}]),
    "GET /api/v2/custom_menu/{id}/": _op(
        "A custom menu, by id or by place (base, not_logged, user)", 200, ref("SCCustomMenu")),
    "GET /api/v2/user/me/": _op("The signed-in user", 200, ref("SCUserMe")),
    "GET /api/v2/user/me/permission/": _op("What the signed-in user may do", 200,
                                           ref("SCPermission")),
    "GET /api/v2/user/{id}/": _op("A user", 200, ref("SCUser")),
    "GET /api/v2/user/{id}/settings/": _op("My notification settings", 200,
                                           ref("SCUserSettings")),
    "PATCH /api/v2/user/{id}/settings/": _op(
        "Change my notification settings", 200, ref("SCUserSettings"), body={
            "type": "object", "properties": {
                "qa_frequency": INT, "email_notification_not_qa": INT,
                "mobile_notifications_scmty": INT, "show_toast_notifications": INT,
                "toast_notifications_emit_sound": INT}}, errors=(400,)),
    "GET /api/v2/user/hidden_users_id/": _op("Ids of the users I block", 200,
                                             {"type": "array", "items": INT}),
    "GET /api/v2/user/hidden_users/": _op("The users I block", 200, _page("SCUser"),
                                          query=_LIMIT),
    "GET /api/v2/user/search/": _op("Search users", 200, _page("SCUser"), query=[
        *_LIMIT, {"name": "search", "in": "query", "schema": STR,
                  "description": "the start of a username, or part of a display name"},
        {"name": "user", "in": "query", "schema": STR,
         "description": "the same as `search` (react-ui's mention lookup sends it)"}]),
    "GET /api/v2/user/autocomplete/": _op("Users for a mention list", 200,
                                          _page("SCUserAutocomplete"), query=[
        *_LIMIT, {"name": "search", "in": "query", "schema": STR},
        {"name": "exclude", "in": "query", "schema": STR,
         "description": "user ids to leave out, comma-separated"}]),
    "GET /api/v2/suggestion/user/": _op("Users I might follow", 200, _page("SCUser"),
                                        query=_LIMIT),
    "GET /api/v2/category/popular/": _op("Categories, the most active first", 200,
                                         _page("SCCategory"), query=_LIMIT),
}
