"""Fake VK API (+ Bots Long Poll server, + Callback API delivery: ``FakeVKAPI.callback``, see
tests/support/vk_callback.py) for tests: the real vkbottle client talks HTTP to it. A pushed
event goes to long polls and to every confirmed Callback API server that takes its type.

Aim vkbottle at it. ``API.request`` posts to ``self.API_URL + method`` and ``API_URL`` is a
class attribute (``"https://api.vk.ru/method/"``), so shadow it on the instance; the Bots Long
Poll URL needs nothing: ``groups.getLongPollServer`` answers with this fake's own ``/lp``::

    from vkbottle import API, AiohttpClient, BlockingRequestRescheduler
    from vkbottle.bot import Bot, BotLabeler

    async with FakeVKAPI() as vk:
        api = API(
            token="vk1.a.test-token",
            http_client=AiohttpClient(),  # not the default process-wide SingleAiohttpClient
            request_rescheduler=BlockingRequestRescheduler(delay=0),  # see HTTP 5xx below
        )
        api.API_URL = vk.api_url
        bot = Bot(api=api, labeler=labeler)
        polling = asyncio.create_task(bot.run_polling())  # cwd must be a tmp dir, see below
        ...
        polling.cancel()
        await api.http_client.close()

What vkbottle 4.11 does that tests must know:
* ``BotPolling`` writes ``Path.cwd()/.vkbottle/bot-polling/<group_id>.json`` after every long
  poll answer (even with ``skip_old_events=True``): run polling with ``monkeypatch.chdir``.
* API errors (``{"error": ...}``, e.g. 6 "Too many requests per second", 9 "Flood control",
  10 "Internal server error") raise ``VKAPIError[code]`` at once: vkbottle never retries them
  for API calls. Its long-poll loop retries ``VKAPIError[10]`` and network errors with a
  0.1 s * n back-off; any other error goes to the error handler (logged) and is retried too.
* A non-JSON body (nginx 500/502 page) is "rescheduled" by ``BlockingRequestRescheduler``:
  the request is repeated once after ``delay`` seconds (default 5 s); if that answer is not
  JSON either, ``VKAPIError[1]`` "Unknown response from <method>" is raised. The HTTP status
  itself is ignored (no ``raise_for_status``).

Fake semantics: long-poll ``ts`` numbers events from 1; ``getLongPollServer`` returns the ts of
the first event no ``a_check`` has returned yet (``deliver_backlog=True``, so messages pushed
before the bot connects still arrive) or, like real VK, the next future event
(``deliver_backlog=False``). ``messages.send`` requires ``random_id`` (VK >= 5.90 does) and
deduplicates non-zero ``random_id`` per peer as VK does: the call is recorded with
``duplicate=True`` and answered with the original message id.
"""

import copy
import inspect
import itertools
import json
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from ._common import (
    NGINX_500_HTML,
    NGINX_502_HTML,
    Call,
    FakeServer,
    Fault,
    Predicate,
    Pulse,
    UploadedFile,
    read_request,
)
from .vk_callback import CallbackServers

__all__ = ["Call", "FakeVKAPI", "UploadedFile", "VKError"]

API_VERSION = "5.199"
CHAT_PEER_OFFSET = 2_000_000_000  # peer_id of group chat N is 2e9 + N

ERROR_MESSAGES = {
    1: "Unknown error occurred",
    3: "Unknown method passed",
    5: "User authorization failed: no access_token passed.",
    6: "Too many requests per second",
    7: "Permission to perform this action is denied",
    8: "Invalid request: v (version) is required",
    9: "Flood control",
    10: "Internal server error",
    15: "Access denied",
    100: "One of the parameters specified was missing or invalid",
    901: "Can't send messages for users without permission",
    914: "Message is too long",
}
_INT_FIELDS = frozenset(
    {
        "peer_id",
        "user_id",
        "chat_id",
        "random_id",
        "message_id",
        "conversation_message_id",
        "cmid",
        "group_id",
        "server_id",
        "owner_id",
        "post_id",
        "reply_to",
        "reply_to_comment",
        "from_group",
        "sticker_id",
        "server",
        "dont_parse_links",
        "disable_mentions",
        "keep_forward_messages",
        "keep_snippets",
    }
)
_LIST_FIELDS = frozenset(
    {"peer_ids", "user_ids", "message_ids", "conversation_message_ids", "forward_messages"}
)
_JSON_FIELDS = frozenset({"keyboard", "template", "forward", "event_data", "content_source"})
_MAX_TEXT = 4096
_CLIENT_INFO = {
    "button_actions": [
        "text",
        "vkpay",
        "open_app",
        "location",
        "open_link",
        "callback",
        "intent_subscribe",
        "intent_unsubscribe",
    ],
    "keyboard": True,
    "inline_keyboard": True,
    "carousel": True,
    "lang_id": 0,
}


class VKError(Exception):
    """Raise from an ``override`` handler to answer with a VK API error."""

    def __init__(self, code: int, message: str | None = None) -> None:
        self.code = code
        self.message = message or ERROR_MESSAGES.get(code, "Unknown error occurred")
        super().__init__(self.message)


def _int_or_str(value: str) -> int | str:
    stripped = value.strip()
    return int(stripped) if stripped.lstrip("-").isdigit() else stripped


def _decode(key: str, value: Any) -> Any:
    """Form values are strings on the wire; give tests ints, lists and parsed JSON."""
    if not isinstance(value, str):
        return value
    if key in _INT_FIELDS:
        return _int_or_str(value)
    if key in _LIST_FIELDS:
        return [_int_or_str(item) for item in value.split(",") if item.strip()]
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


_Handler = Callable[[Call], Any]


class FakeVKAPI(FakeServer):
    """VK API fake; see the module docstring for how to aim vkbottle at it."""

    def __init__(
        self,
        *,
        group_id: int = 229_000_001,
        token: str | None = None,
        deliver_backlog: bool = True,
        require_random_id: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        super().__init__(host)
        self.group_id = group_id
        self.expected_token = token  # when set, other tokens get error 5
        self.deliver_backlog = deliver_backlog
        self.require_random_id = require_random_id
        self.lp_key = secrets.token_hex(20)
        self.lp_requests = 0  # a_check requests served (long polls)
        self.users: dict[int, dict[str, Any]] = {}  # extra fields for users.get, by id
        self.blocked: set[int] = set()
        self.messages: dict[int, dict[str, Any]] = {}  # by message id
        self.uploads: dict[str, UploadedFile] = {}  # by upload key
        self._events: list[dict[str, Any]] = []  # event with ts N is _events[N - 1]
        self._by_event_id: dict[str, dict[str, Any]] = {}
        self._delivered_upto = 1  # first ts no a_check has returned yet
        self._lp_pulse = Pulse()
        self._lp_faults: deque[int] = deque()
        self._ids = itertools.count(1)  # message, comment, doc and photo ids
        self._cmids: dict[int, int] = {}
        self._versions = itertools.count(1_000_001)
        self._sent_random: dict[tuple[int, int], int] = {}
        self._overrides: dict[str, _Handler] = {}
        self.callback = CallbackServers(group_id, VKError)  # the Callback API side
        self._handlers: dict[str, _Handler] = {
            "groups.getById": self._groups_get_by_id,
            "groups.getLongPollServer": self._groups_get_long_poll_server,
            "users.get": self._users_get,
            "messages.send": self._messages_send,
            "messages.edit": self._messages_edit,
            "messages.sendMessageEventAnswer": self._send_message_event_answer,
            "wall.createComment": self._wall_create_comment,
            "docs.getMessagesUploadServer": self._docs_get_messages_upload_server,
            "photos.getMessagesUploadServer": self._photos_get_messages_upload_server,
            "docs.save": self._docs_save,
            "photos.saveMessagesPhoto": self._photos_save_messages_photo,
            **self.callback.handlers(),
        }

    # --- wiring ----------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """Assign to ``API.API_URL`` (ends with ``/method/``)."""
        return f"{self.root_url}/method/"

    def _routes(self) -> Iterable[web.AbstractRouteDef]:
        return [
            web.route("*", "/method/{name}", self._handle_method),
            web.route("*", "/lp", self._handle_long_poll),
            web.post("/upload/{kind}", self._handle_upload),
            web.get("/files/{key}", self._handle_file),
        ]

    def _wake_long_polls(self) -> None:
        self._lp_pulse.fire()

    async def stop(self) -> None:
        await self.callback.close()
        await super().stop()

    def _targets(self, params: dict[str, Any]) -> set[Any]:
        found = {params.get("peer_id"), params.get("user_id")}
        for key in ("peer_ids", "user_ids"):
            found.update(params.get(key) or [])
        if isinstance(params.get("chat_id"), int):
            found.add(CHAT_PEER_OFFSET + params["chat_id"])
        found.discard(None)
        return found

    # --- test API: inspection --------------------------------------------------------------

    def sent(
        self,
        method: str = "messages.send",
        peer_id: int | None = None,
        *,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Params of successful, non-duplicate calls (``peer_id`` also matches ``peer_ids``)."""
        return self._select(method, peer_id, None, include_failed)

    async def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 -- a deadline for the assertion, not I/O
        predicate: Predicate | None = None,
        peer_id: int | None = None,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` matching calls were recorded; returns all matches so far."""
        return await self._wait(method, peer_id, count, timeout, predicate, include_failed)

    async def wait_for_long_poll(self, count: int = 1, *, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` a_check requests in total have reached the fake.

        Needed before pushing with ``deliver_backlog=False``, as on real VK.
        """
        await self._wait_until(lambda: self.lp_requests >= count, timeout, "a_check")

    def event(self, event_id: str) -> dict[str, Any]:
        """A pushed event by its ``event_id``."""
        return self._by_event_id[event_id]

    # --- test API: behaviour ---------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        code: int = 6,
        times: int = 1,
        error_msg: str | None = None,
        http_status: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"`` = any) with VK error ``code``.

        With ``http_status`` (500/502) answer a plain nginx HTML page with that status instead,
        which vkbottle handles via its request rescheduler (see module docstring).
        """
        if http_status is not None:
            body = NGINX_502_HTML if http_status == 502 else NGINX_500_HTML
            self._add_fault(method, Fault(status=http_status, remaining=times, body=body))
            return
        payload = {"error_code": code, "error_msg": error_msg or VKError(code).message}
        self._add_fault(method, Fault(200, remaining=times, payload=payload, error_code=code))

    def block(self, peer_id: int) -> None:
        """messages.send to ``peer_id`` fails with 901 (user forbade messages) from now on."""
        self.blocked.add(peer_id)

    def override(self, method: str, handler: Callable[[dict[str, Any]], Any] | Any) -> None:
        """Replace a method: ``handler(params)`` (sync/async, may raise VKError) or a value."""
        if callable(handler):
            self._overrides[method] = lambda call: handler(call.params)
        else:
            self._overrides[method] = lambda _call: copy.deepcopy(handler)

    def expire_lp_key(self) -> None:
        """Rotate the long-poll key: the next a_check answers ``{"failed": 2}``."""
        self.lp_key = secrets.token_hex(20)

    def lp_fail_next(self, failed: int = 1) -> None:
        """The next a_check answers ``{"failed": failed}`` (1 carries a fresh ts)."""
        self._lp_faults.append(failed)

    # --- test API: pushing events ----------------------------------------------------------

    def push_raw(self, event: dict[str, Any]) -> str:
        """Queue a Bots Long Poll event; ``group_id``, ``event_id`` and ``v`` are filled in."""
        event = copy.deepcopy(event)
        event.setdefault("group_id", self.group_id)
        event.setdefault("event_id", secrets.token_hex(20))
        event.setdefault("v", API_VERSION)
        self._by_event_id[event["event_id"]] = event
        self._events.append(event)
        self._lp_pulse.fire()
        self.callback.deliver(event)
        return event["event_id"]

    def push_event_again(self, event_id: str) -> None:
        """Deliver an identical copy (same ``event_id``) of a pushed event."""
        self._events.append(copy.deepcopy(self._by_event_id[event_id]))
        self._lp_pulse.fire()
        self.callback.deliver(self._by_event_id[event_id])

    def push_message(
        self,
        peer_id: int,
        text: str,
        *,
        payload: dict[str, Any] | str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        from_id: int | None = None,
        **extra: Any,
    ) -> str:
        """A user writes ``text`` (``payload``: the pressed text button's payload)."""
        if from_id is None:
            if peer_id >= CHAT_PEER_OFFSET:
                msg = "from_id is required for chat peers"
                raise ValueError(msg)
            from_id = peer_id
        message: dict[str, Any] = {
            "date": int(time.time()),
            "from_id": from_id,
            # bots see id 0 for chat messages; private ones get a real id
            "id": 0 if peer_id >= CHAT_PEER_OFFSET else next(self._ids),
            "out": 0,
            "version": next(self._versions),
            "attachments": attachments or [],
            "conversation_message_id": self._next_cmid(peer_id),
            "fwd_messages": [],
            "important": False,
            "is_hidden": False,
            "peer_id": peer_id,
            "random_id": 0,
            "text": text,
        }
        if payload is not None:
            message["payload"] = payload if isinstance(payload, str) else json.dumps(payload)
        message.update(extra)
        if message["id"]:
            self.messages[message["id"]] = message
        event = {"message": message, "client_info": _CLIENT_INFO}
        return self.push_raw({"type": "message_new", "object": event})

    def push_sticker(
        self, peer_id: int, *, sticker_id: int = 9, from_id: int | None = None
    ) -> str:
        image = {"url": f"https://vk.com/sticker/1-{sticker_id}-128", "width": 128, "height": 128}
        sticker = {
            "inner_type": "base_sticker_new",
            "product_id": 1,
            "sticker_id": sticker_id,
            "images": [image],
            "images_with_background": [image],
            "is_allowed": True,
        }
        attachment = {"type": "sticker", "sticker": sticker}
        return self.push_message(peer_id, "", attachments=[attachment], from_id=from_id)

    def push_photo(
        self,
        peer_id: int,
        *,
        text: str = "",
        content: bytes = b"\xff\xd8\xff\xe0 fake jpeg",
        from_id: int | None = None,
    ) -> str:
        """A user sends a photo; its ``sizes[].url`` serves ``content`` from this fake."""
        url = self._store_upload(UploadedFile("photo.jpg", "image/jpeg", content))
        owner = peer_id if from_id is None else from_id
        attachment = {"type": "photo", "photo": self._photo(owner, url)}
        return self.push_message(peer_id, text, attachments=[attachment], from_id=from_id)

    def push_message_event(
        self,
        peer_id: int,
        payload: dict[str, Any],
        *,
        user_id: int | None = None,
        conversation_message_id: int | None = None,
    ) -> str:
        """A callback button press; answer it with messages.sendMessageEventAnswer."""
        obj = {
            "user_id": peer_id if user_id is None else user_id,
            "peer_id": peer_id,
            "event_id": secrets.token_hex(6),
            "payload": payload,
            "conversation_message_id": conversation_message_id or self._cmids.get(peer_id, 1),
        }
        return self.push_raw({"type": "message_event", "object": obj})

    def push_wall_reply(
        self,
        post_id: int,
        from_id: int,
        text: str,
        *,
        owner_id: int | None = None,
        reply_to_comment: int | None = None,
    ) -> str:
        """A comment under a post (by default on the community wall)."""
        owner_id = -self.group_id if owner_id is None else owner_id
        obj: dict[str, Any] = {
            "id": next(self._ids),
            "from_id": from_id,
            "date": int(time.time()),
            "text": text,
            "post_id": post_id,
            "owner_id": owner_id,
            "post_owner_id": owner_id,
            "parents_stack": [] if reply_to_comment is None else [reply_to_comment],
            "thread": {"count": 0},
        }
        if reply_to_comment is not None:
            obj["reply_to_comment"] = reply_to_comment
        return self.push_raw({"type": "wall_reply_new", "object": obj})

    def push_wall_mention(
        self,
        from_id: int,
        text: str | None = None,
        *,
        owner_id: int | None = None,
    ) -> str:
        """A wall_post_new whose text mentions the community (``[club<id>|...]``).

        Minimal shape; real Bots Long Poll only reports posts on the community's own wall.
        """
        owner_id = -self.group_id if owner_id is None else owner_id
        obj = {
            "id": next(self._ids),
            "owner_id": owner_id,
            "from_id": from_id,
            "created_by": from_id,
            "date": int(time.time()),
            "text": text or f"[club{self.group_id}|@club{self.group_id}], помогите с вопросом",
            "post_type": "post",
            "marked_as_ads": 0,
            "attachments": [],
            "comments": {"count": 0, "can_post": 1},
            "is_favorite": False,
        }
        return self.push_raw({"type": "wall_post_new", "object": obj})

    # --- HTTP ------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        raw, files = await read_request(request)
        token = raw.pop("access_token", None)
        call = Call(name, {key: _decode(key, value) for key, value in raw.items()})
        call.params.update(files)
        if not token:
            return self._error(call, 5)
        if self.expected_token is not None and token != self.expected_token:
            return self._error(call, 5, "User authorization failed: invalid access_token (4).")
        if "v" not in call.params:
            return self._error(call, 8)
        if fault := self._take_fault(name):
            if fault.body is not None:
                call.failed, call.status = True, fault.status
                self._record(call)
                return web.Response(status=fault.status, text=fault.body, content_type="text/html")
            assert fault.payload is not None
            return self._error(call, fault.payload["error_code"], fault.payload["error_msg"])
        handler = self._overrides.get(name) or self._handlers.get(name)
        if handler is None:
            return self._error(call, 3)
        try:
            result = handler(call)
            if inspect.isawaitable(result):
                result = await result
        except VKError as exc:
            return self._error(call, exc.code, exc.message)
        call.result = result
        self._record(call)
        return web.json_response({"response": result})

    def _error(self, call: Call, code: int, message: str | None = None) -> web.Response:
        call.failed, call.error_code = True, code
        self._record(call)
        request_params = [
            {"key": "method", "value": call.method},
            {"key": "oauth", "value": "1"},
            *(
                {"key": key, "value": str(value)}
                for key, value in call.params.items()
                if not isinstance(value, UploadedFile)
            ),
        ]
        error = {
            "error_code": code,
            "error_msg": message or VKError(code).message,
            "request_params": request_params,
        }
        return web.json_response({"error": error})

    async def _handle_long_poll(self, request: web.Request) -> web.Response:
        raw, _ = await read_request(request)
        self.lp_requests += 1
        self._activity.fire()
        if self._lp_faults:
            failed = self._lp_faults.popleft()
            body: dict[str, Any] = {"failed": failed}
            if failed == 1:
                body["ts"] = str(len(self._events) + 1)
            return web.json_response(body)
        if raw.get("key") != self.lp_key:
            return web.json_response({"failed": 2})
        try:
            ts = max(int(raw.get("ts", 1)), 1)
            wait = min(float(raw.get("wait", 25)), 90.0)
        except ValueError:
            return web.json_response({"failed": 1, "ts": str(len(self._events) + 1)})
        wait_until = time.monotonic() + wait
        batch: list[dict[str, Any]] = []
        while not self._closing:
            batch = self._events[ts - 1 :]
            if batch or not await self._lp_pulse.wait(wait_until - time.monotonic()):
                break
        next_ts = ts + len(batch)
        self._delivered_upto = max(self._delivered_upto, next_ts)
        return web.json_response({"ts": str(next_ts), "updates": copy.deepcopy(batch)})

    async def _handle_upload(self, request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        _, files = await read_request(request)
        upload = files.get("photo" if kind == "photo" else "file")
        if upload is None:
            return web.json_response({"error": "no file uploaded"})
        key = self._store_upload(upload).rsplit("/", 1)[-1]
        if kind == "photo":
            return web.json_response({"server": 1, "photo": key, "hash": secrets.token_hex(16)})
        return web.json_response({"file": key})

    async def _handle_file(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["key"])
        if upload is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=upload.content, content_type=upload.content_type)

    # --- builders --------------------------------------------------------------------------

    def _next_cmid(self, peer_id: int) -> int:
        self._cmids[peer_id] = self._cmids.get(peer_id, 0) + 1
        return self._cmids[peer_id]

    def _store_upload(self, upload: UploadedFile) -> str:
        key = secrets.token_hex(8)
        self.uploads[key] = upload
        return f"{self.root_url}/files/{key}"

    def _photo(self, owner_id: int, url: str) -> dict[str, Any]:
        return {
            "album_id": -3,
            "date": int(time.time()),
            "id": next(self._ids),
            "owner_id": owner_id,
            "access_key": secrets.token_hex(9),
            "sizes": [{"type": "x", "url": url, "width": 604, "height": 604}],
            "text": "",
            "has_tags": False,
        }

    # --- method handlers -------------------------------------------------------------------

    def _groups_get_by_id(self, call: Call) -> dict[str, Any]:
        group = {
            "id": self.group_id,
            "name": "Приёмная (тест)",
            "screen_name": f"club{self.group_id}",
            "is_closed": 0,
            "type": "group",
            "photo_50": "https://vk.com/images/community_50.png",
        }
        return {"groups": [group], "profiles": []}

    def _groups_get_long_poll_server(self, call: Call) -> dict[str, Any]:
        ts = self._delivered_upto if self.deliver_backlog else len(self._events) + 1
        return {"key": self.lp_key, "server": f"{self.root_url}/lp", "ts": str(ts)}

    def _users_get(self, call: Call) -> list[dict[str, Any]]:
        ids = call.params.get("user_ids") or (
            [call.params["user_id"]] if "user_id" in call.params else []
        )
        return [
            {
                "id": user_id,
                "first_name": "Иван",
                "last_name": "Петров",
                "can_access_closed": True,
                "is_closed": False,
                **self.users.get(user_id, {}),
            }
            for user_id in ids
        ]

    def _messages_send(self, call: Call) -> int | list[dict[str, Any]]:
        params = call.params
        many = "peer_ids" in params
        if many:
            peers = list(params["peer_ids"])
        elif "peer_id" in params or "user_id" in params:
            peers = [params.get("peer_id", params.get("user_id"))]
        elif "chat_id" in params:
            peers = [CHAT_PEER_OFFSET + params["chat_id"]]
        else:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: peer_id is undefined")
        if self.require_random_id and "random_id" not in params:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: random_id is a required parameter")
        text = str(params.get("message", ""))
        has_content = any(
            params.get(key) for key in ("attachment", "sticker_id", "forward_messages", "forward")
        )
        if not text and not has_content:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: message is empty or invalid")
        if len(text) > _MAX_TEXT:
            raise VKError(914)

        random_id = params.get("random_id") or 0
        items: list[dict[str, Any]] = []
        for peer in peers:
            if peer in self.blocked:
                if not many:
                    raise VKError(901)
                items.append({"peer_id": peer, "error": {"code": 901, "description": "denied"}})
                continue
            if random_id and (peer, random_id) in self._sent_random:
                call.duplicate = True
                message_id = self._sent_random[(peer, random_id)]
                cmid = self.messages[message_id]["conversation_message_id"]
            else:
                message_id, cmid = next(self._ids), self._next_cmid(peer)
                self.messages[message_id] = {
                    "id": message_id,
                    "peer_id": peer,
                    "conversation_message_id": cmid,
                    "text": text,
                    "keyboard": params.get("keyboard"),
                    "attachment": params.get("attachment"),
                }
                if random_id:
                    self._sent_random[(peer, random_id)] = message_id
            items.append(
                {"peer_id": peer, "message_id": message_id, "conversation_message_id": cmid}
            )
        return items if many else items[0]["message_id"]

    def _messages_edit(self, call: Call) -> int:
        params = call.params
        if "peer_id" not in params or not (
            "message_id" in params or "conversation_message_id" in params or "cmid" in params
        ):
            raise VKError(100, f"{ERROR_MESSAGES[100]}: message_id is undefined")
        stored = self.messages.get(params.get("message_id", 0))
        if stored is not None:
            for field in ("message", "keyboard", "attachment"):
                if field in params:
                    stored["text" if field == "message" else field] = params[field]
        return 1

    def _send_message_event_answer(self, call: Call) -> int:
        if not all(key in call.params for key in ("event_id", "user_id", "peer_id")):
            raise VKError(100, f"{ERROR_MESSAGES[100]}: event_id, user_id and peer_id required")
        return 1

    def _wall_create_comment(self, call: Call) -> dict[str, Any]:
        if "post_id" not in call.params:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: post_id is undefined")
        return {"comment_id": next(self._ids), "parents_stack": []}

    def _docs_get_messages_upload_server(self, call: Call) -> dict[str, Any]:
        return {"upload_url": f"{self.root_url}/upload/doc"}

    def _photos_get_messages_upload_server(self, call: Call) -> dict[str, Any]:
        return {
            "album_id": -64,
            "upload_url": f"{self.root_url}/upload/photo",
            "user_id": 0,
            "group_id": self.group_id,
        }

    def _docs_save(self, call: Call) -> dict[str, Any]:
        upload = self.uploads.get(str(call.params.get("file", "")))
        if upload is None:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: file is undefined")
        title = str(call.params.get("title") or upload.filename)
        doc = {
            "id": next(self._ids),
            "owner_id": -self.group_id,
            "title": title,
            "size": len(upload.content),
            "ext": title.rsplit(".", 1)[-1] if "." in title else "",
            "url": f"{self.root_url}/files/{call.params['file']}",
            "date": int(time.time()),
            "type": 8,
        }
        return {"type": "doc", "doc": doc}

    def _photos_save_messages_photo(self, call: Call) -> list[dict[str, Any]]:
        key = str(call.params.get("photo", ""))
        if key not in self.uploads:
            raise VKError(100, f"{ERROR_MESSAGES[100]}: photo is undefined")
        return [self._photo(-self.group_id, f"{self.root_url}/files/{key}")]
