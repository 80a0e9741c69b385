"""Fake Telegram Bot API server for tests: the real aiogram client talks HTTP to it.

Aim aiogram at it (``TelegramAPIServer.from_base`` builds ``{base}/bot{token}/{method}`` and
``{base}/file/bot{token}/{path}``, both served here)::

    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    async with FakeTelegramAPI() as tg:
        session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
        bot = Bot(token="123456:" + "A" * 35, session=session)
        try:
            await bot.send_message(1, "hi")
            assert tg.sent(chat_id=1)[0]["text"] == "hi"
        finally:
            await bot.session.close()

Semantics worth knowing:
* ``getUpdates`` is real long polling: ``offset`` confirms (drops) earlier updates, ``timeout``
  waits for a push; a second concurrent ``getUpdates`` makes the first one fail with 409, and
  ``getUpdates`` while a webhook is set fails with 409 as on Telegram. ``allowed_updates`` is
  ignored.
* Parameters are decoded the way Telegram does: form values that are JSON (``reply_markup``,
  numbers, booleans) become Python objects, text fields stay strings, uploaded files become
  :class:`UploadedFile`.
* Sent messages are kept in ``messages``; editing a known message with identical content fails
  with Telegram's "message is not modified" 400, editing an unknown one succeeds.
* Only inline keyboards are echoed back in ``Message.reply_markup`` (as Telegram does).
* With ``deliver_webhooks=True``, once ``setWebhook`` is called pushed updates are POSTed to
  its URL with its ``secret_token`` header, at most ``max_connections`` (default 40) at a
  time, each again a little later until it is answered with a 2xx (as Telegram does);
  without it a webhook only makes ``getUpdates`` fail, and tests post to the bot themselves.
"""

import asyncio
import copy
import inspect
import itertools
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import aiohttp
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

__all__ = [
    "NGINX_500_HTML",
    "NGINX_502_HTML",
    "BotAPIError",
    "Call",
    "FakeTelegramAPI",
    "UploadedFile",
]

# Form fields Telegram treats as strings even when they look like JSON scalars ("123", "true").
_STR_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "data",
        "url",
        "name",
        "title",
        "description",
        "short_description",
        "action",
        "secret_token",
        "file_id",
        "emoji",
        "icon_custom_emoji_id",
        "business_connection_id",
        "message_effect_id",
        "question",
        "explanation",
        "address",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "custom_title",
        "invite_link",
    }
)
_SCALAR = re.compile(r"-?\d+(\.\d+)?|true|false|null")

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: bad request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_CONFLICT_POLL = _DEFAULT_DESCRIPTIONS[409]
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
# Methods that only need a successful ``true`` from the fake.
_TRUE_METHODS = (
    "answerCallbackQuery",
    "sendChatAction",
    "close",
    "logOut",
    "setMyCommands",
    "deleteMyCommands",
    "setChatMenuButton",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "deleteMessage",
    "deleteMessages",
    "pinChatMessage",
    "unpinChatMessage",
    "closeForumTopic",
    "reopenForumTopic",
    "editForumTopic",
    "deleteForumTopic",
    "setMessageReaction",
)
# Methods that reach the user, so they fail once the user has blocked the bot.
_SENDING = ("send", "copymessage", "forwardmessage")
_DEFAULT_ICON_COLOR = 7322096
_MAX_TEXT = 4096
_WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections
_WEBHOOK_RETRY_S = 0.5


class BotAPIError(Exception):
    """Raise from an ``override`` handler to answer with a Telegram error."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STR_FIELDS:
        return value
    if value[:1] in ("{", "[") or _SCALAR.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _error_payload(status: int, description: str, retry_after: int | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    return payload


@dataclass
class _Queued:
    update: dict[str, Any]
    redeliver: bool = False  # one-shot duplicate: delivered regardless of offset


_Handler = Callable[[dict[str, Any], str], Any]


class FakeTelegramAPI(FakeServer):
    """Bot API fake; see the module docstring for how to aim aiogram at it."""

    _noisy_methods = frozenset({"getupdates"})

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_first_name: str = "Приёмная (тест)",
        bot_username: str = "priemnaya_test_bot",
        host: str = "127.0.0.1",
        deliver_webhooks: bool = False,
    ) -> None:
        super().__init__(host)
        self.expected_token = token  # when set, other tokens get 401 Unauthorized
        self.deliver_webhooks = deliver_webhooks
        self._webhook_secret: str | None = None
        self._webhook_http: aiohttp.ClientSession | None = None
        self._posting: set[asyncio.Task[None]] = set()
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.bot_id = self._id_from_token(token) if token else 123456
        self.webhook_url: str | None = None
        self.messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self.chats: dict[int | str, dict[str, Any]] = {}
        self.topics: dict[int | str, dict[int, str]] = {}
        self.blocked: set[int | str] = set()
        self._files: dict[str, tuple[str, UploadedFile]] = {}  # file_id -> (file_path, file)
        self._paths: dict[str, UploadedFile] = {}
        self._queue: list[_Queued] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_seq = itertools.count(1)
        self._message_ids: dict[int | str, int] = {}
        self._updates_pulse = Pulse()
        self._poll_generation = 0  # number of getUpdates requests received so far
        self._overrides: dict[str, _Handler] = {}
        self._handlers: dict[str, _Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "copymessage": self._copy_message,
            "createforumtopic": self._create_forum_topic,
            "getfile": self._get_file,
        }
        for name in _TRUE_METHODS:
            self._handlers[name.lower()] = self._true

    # --- wiring ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Pass to ``TelegramAPIServer.from_base``."""
        return self.root_url

    def _routes(self) -> Iterable[web.AbstractRouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self._handle_method),
            web.get("/file/bot{token}/{path:.+}", self._handle_file),
        ]

    def _wake_long_polls(self) -> None:
        self._updates_pulse.fire()

    def _norm(self, method: str) -> str:
        return method.lower()  # Bot API method names are case-insensitive

    def _targets(self, params: dict[str, Any]) -> set[Any]:
        return {params["chat_id"]} if "chat_id" in params else set()

    # --- test API: inspection --------------------------------------------------------------

    def sent(
        self,
        method: str = "sendMessage",
        chat_id: int | str | None = None,
        *,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Params of successful calls of ``method`` (optionally only to ``chat_id``)."""
        return self._select(method, chat_id, None, include_failed)

    async def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 -- a deadline for the assertion, not I/O
        predicate: Predicate | None = None,
        chat_id: int | str | None = None,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` matching calls were recorded; returns all matches so far."""
        return await self._wait(method, chat_id, count, timeout, predicate, include_failed)

    def pushed(self, update_id: int) -> dict[str, Any]:
        """The update pushed under ``update_id`` (e.g. to read its ``message_id``)."""
        return self._history[update_id]

    @property
    def polls_started(self) -> int:
        """getUpdates requests received so far (including ones still waiting)."""
        return self._poll_generation

    async def wait_for_poll(self, count: int = 1, *, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` getUpdates requests in total have reached the fake."""
        await self._wait_until(lambda: self._poll_generation >= count, timeout, "getUpdates")

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        return [q.update for q in self._queue]

    # --- test API: behaviour ---------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
        body: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"`` = any) with an error.

        ``status`` picks Telegram's error shape: 429 carries ``parameters.retry_after``, 403 is
        "bot was blocked by the user", 500/502 are JSON server errors. ``body`` replaces the
        JSON with raw text, e.g. ``NGINX_502_HTML`` like a real gateway hiccup.
        """
        default = _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        desc = description or default.format(retry_after=retry_after)
        payload = _error_payload(status, desc, retry_after if status == 429 else None)
        fault = Fault(status=status, remaining=times, payload=payload, body=body)
        self._add_fault(method, fault)

    def block(self, chat_id: int | str) -> None:
        """Every send to ``chat_id`` fails with 403 "bot was blocked by the user" from now on."""
        self.blocked.add(chat_id)

    def override(self, method: str, handler: Callable[[dict[str, Any]], Any] | Any) -> None:
        """Replace a method: ``handler(params)`` (sync/async, may raise BotAPIError) or a value."""
        if callable(handler):
            self._overrides[method.lower()] = lambda params, _token: handler(params)
        else:
            self._overrides[method.lower()] = lambda _params, _token: copy.deepcopy(handler)

    # --- test API: pushing updates ---------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (``update_id`` is assigned when missing); returns its id."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        else:
            # keep the counter ahead so later auto ids stay unique and increasing
            following = max(next(self._update_ids), update["update_id"] + 1)
            self._update_ids = itertools.count(following)
        self._history[update["update_id"]] = update
        self._queue.append(_Queued(update))
        self._updates_pulse.fire()
        self._post_queued()
        return update["update_id"]

    def push_raw_update_again(self, update_id: int) -> None:
        """Deliver an identical copy of an already pushed update (duplicate delivery)."""
        self._queue.append(_Queued(copy.deepcopy(self._history[update_id]), redeliver=True))
        self._updates_pulse.fire()

    def push_message(
        self,
        user_id: int,
        text: str | None,
        *,
        chat_id: int | None = None,
        first_name: str = "Иван",
        language_code: str = "ru",
        message_thread_id: int | None = None,
        chat_type: str = "private",
        **extra: Any,
    ) -> int:
        """A user writes ``text``; ``extra`` is merged into the Message (entities, contact...)."""
        content: dict[str, Any] = {}
        if text is not None:
            content["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                entity = {"type": "bot_command", "offset": 0, "length": len(command)}
                content["entities"] = [entity]
        content.update(extra)
        message = self._user_message(
            user_id,
            chat_id,
            first_name=first_name,
            language_code=language_code,
            message_thread_id=message_thread_id,
            chat_type=chat_type,
            content=content,
        )
        return self.push_update({"message": message})

    def push_callback(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int,
        chat_id: int | None = None,
        language_code: str = "ru",
    ) -> int:
        """User presses an inline button with ``data`` under the bot's message ``message_id``."""
        chat_id = user_id if chat_id is None else chat_id
        message = self.messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            "text": "",
        }
        callback = {
            "id": str(next(self._callback_ids)),
            "from": self._user(user_id, language_code=language_code),
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(hash(chat_id))),
            "data": data,
        }
        return self.push_update({"callback_query": callback})

    def push_sticker(self, user_id: int, *, chat_id: int | None = None, emoji: str = "👍") -> int:
        unique = secrets.token_hex(4)
        sticker = {
            "file_id": f"CAACAgIAAxkBAAI{unique}",
            "file_unique_id": f"AgAD{unique}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        message = self._user_message(user_id, chat_id, content={"sticker": sticker})
        return self.push_update({"message": message})

    def push_photo(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff\xe0 fake jpeg",
        message_thread_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """A user sends a photo; its bytes are downloadable via getFile + the file URL.
        With ``message_thread_id`` and ``chat_type="supergroup"``: into a forum topic."""
        upload = UploadedFile("photo.jpg", "image/jpeg", content)
        body: dict[str, Any] = {"photo": self._photo_sizes(upload)}
        if caption is not None:
            body["caption"] = caption
        message = self._user_message(
            user_id,
            chat_id,
            message_thread_id=message_thread_id,
            chat_type=chat_type,
            content=body,
        )
        return self.push_update({"message": message})

    def push_document(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        content: bytes = b"%PDF-1.4 fake",
        caption: str | None = None,
    ) -> int:
        upload = UploadedFile(file_name, mime_type, content)
        body: dict[str, Any] = {"document": self._document(upload)}
        if caption is not None:
            body["caption"] = caption
        message = self._user_message(user_id, chat_id, content=body)
        return self.push_update({"message": message})

    # --- HTTP ------------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        raw, files = await read_request(request)
        params = {key: _decode(key, value) for key, value in raw.items()}
        for key, value in list(params.items()):  # aiogram sends files as "attach://<part>"
            part = value.removeprefix("attach://") if isinstance(value, str) else None
            if part is not None and part != value and part in files:
                params[key] = files.pop(part)
        params.update(files)

        if self.expected_token is not None and token != self.expected_token:
            return self._error(method, params, 401, "Unauthorized")
        self.bot_id = self._id_from_token(token)
        if fault := self._take_fault(method):
            self._record(Call(method, params, failed=True, status=fault.status))
            if fault.body is not None:
                return web.Response(status=fault.status, text=fault.body, content_type="text/html")
            return web.json_response(fault.payload, status=fault.status)
        if params.get("chat_id") in self.blocked and method.lower().startswith(_SENDING):
            return self._error(method, params, 403, _DEFAULT_DESCRIPTIONS[403])
        handler = self._overrides.get(method.lower()) or self._handlers.get(method.lower())
        if handler is None:
            return self._error(method, params, 404, "Not Found: method not found")
        try:
            result = handler(params, token)
            if inspect.isawaitable(result):
                result = await result
        except BotAPIError as exc:
            return self._error(method, params, exc.status, exc.description, exc.retry_after)
        self._record(Call(method, params, result=result))
        return web.json_response({"ok": True, "result": result})

    def _error(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        description: str,
        retry_after: int | None = None,
    ) -> web.Response:
        self._record(Call(method, params, failed=True, status=status, error_code=status))
        return web.json_response(_error_payload(status, description, retry_after), status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        upload = self._paths.get(request.match_info["path"])
        if upload is None:
            return web.json_response(_error_payload(404, "Not Found", None), status=404)
        return web.Response(body=upload.content, content_type=upload.content_type)

    # --- builders --------------------------------------------------------------------------

    @staticmethod
    def _id_from_token(token: str) -> int:
        head = token.split(":", 1)[0]
        return int(head) if head.isdigit() else 1

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _user(self, user_id: int, *, language_code: str = "ru") -> dict[str, Any]:
        first_name = self.chats.get(user_id, {}).get("first_name", "Иван")
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        if chat_id in self.chats:
            return copy.deepcopy(self.chats[chat_id])
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Иван"}
        return {"id": chat_id, "type": "supergroup", "title": "Test group"}

    def _next_message_id(self, chat_id: int | str) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        *,
        first_name: str = "Иван",
        language_code: str = "ru",
        message_thread_id: int | None = None,
        chat_type: str = "private",
        content: dict[str, Any],
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        if chat_type == "private":
            chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        else:
            previous = self.chats.get(chat_id, {})
            chat = {"id": chat_id, "type": chat_type, "title": previous.get("title", "Test group")}
            if message_thread_id is not None or previous.get("is_forum"):
                chat["is_forum"] = True
        self.chats[chat_id] = chat
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
        message.update(content)
        self.messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    def _bot_message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise BotAPIError(400, "Bad Request: chat_id is empty")
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            **content,
        }
        if thread := params.get("message_thread_id"):
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if markup := self._inline_markup(params):
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    @staticmethod
    def _inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            return markup
        return None

    def _register_file(self, upload: UploadedFile, folder: str) -> tuple[str, str]:
        seq = next(self._file_seq)
        file_id = f"BQACAgIAAxkB{seq:06d}{secrets.token_hex(6)}"
        suffix = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
        path = f"{folder}/file_{seq}.{suffix}"
        self._files[file_id] = (path, upload)
        self._paths[path] = upload
        return file_id, f"AgAD{seq:06d}"

    def _document(self, source: UploadedFile | str) -> dict[str, Any]:
        if isinstance(source, str):  # file_id or URL re-sent by the bot
            known = self._files.get(source)
            if known is None:
                return {"file_id": source, "file_unique_id": f"AgAD{abs(hash(source)) % 10**8}"}
            source = known[1]
        file_id, unique_id = self._register_file(source, "documents")
        return {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_name": source.filename,
            "mime_type": source.content_type,
            "file_size": len(source.content),
        }

    def _photo_sizes(self, source: UploadedFile | str) -> list[dict[str, Any]]:
        if isinstance(source, str):
            known = self._files.get(source)
            source = known[1] if known else UploadedFile("photo.jpg", "image/jpeg", b"")
        file_id, unique_id = self._register_file(source, "photos")
        self._files[f"{file_id}s"] = self._files[file_id]  # thumbnail: same bytes, own id
        size = len(source.content)
        small = {"file_id": f"{file_id}s", "file_unique_id": f"{unique_id}s"}
        large = {"file_id": file_id, "file_unique_id": unique_id}
        return [
            {**small, "width": 90, "height": 90, "file_size": max(size // 10, 1)},
            {**large, "width": 800, "height": 800, "file_size": size},
        ]

    # --- method handlers -------------------------------------------------------------------

    def _true(self, params: dict[str, Any], token: str) -> bool:
        return True

    def _get_me(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any], token: str) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise BotAPIError(409, _CONFLICT_WEBHOOK)
        # A newer getUpdates terminates an older one with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_pulse.fire()
        self._activity.fire()
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        if offset > 0:
            self._queue = [
                q for q in self._queue if q.redeliver or q.update["update_id"] >= offset
            ]
        elif offset < 0:
            self._queue = self._queue[offset:]

        wait_until = time.monotonic() + timeout
        batch: list[_Queued] = []
        while not self._closing:
            if generation != self._poll_generation:
                raise BotAPIError(409, _CONFLICT_POLL)
            batch = self._queue[:limit]
            if batch:
                break
            if not await self._updates_pulse.wait(wait_until - time.monotonic()):
                break
        # Re-deliveries are one-shot: their ids may already be below the confirmed offset.
        delivered = {id(q) for q in batch if q.redeliver}
        self._queue = [q for q in self._queue if id(q) not in delivered]
        return [copy.deepcopy(q.update) for q in batch]

    def _set_webhook(self, params: dict[str, Any], token: str) -> bool:
        if not params.get("url"):
            raise BotAPIError(400, "Bad Request: bad webhook: URL must be provided")
        self.webhook_url = str(params["url"])
        self._webhook_secret = params.get("secret_token")
        if self.deliver_webhooks and self._webhook_http is None:
            limit = int(params.get("max_connections") or _WEBHOOK_CONNECTIONS)
            connector = aiohttp.TCPConnector(limit=limit)
            self._webhook_http = aiohttp.ClientSession(connector=connector)
        self._post_queued()
        return True

    def _post_queued(self) -> None:
        if not (self.deliver_webhooks and self.webhook_url):
            return
        queued, self._queue = self._queue, []
        for item in queued:
            task = asyncio.get_running_loop().create_task(self._post(item.update))
            self._posting.add(task)
            task.add_done_callback(self._posting.discard)

    async def _post(self, update: dict[str, Any]) -> None:
        """Telegram's side of a webhook: POST the update until the bot answers 2xx."""
        assert self._webhook_http is not None
        while not self._closing and self.webhook_url:
            headers = {}
            if self._webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self._webhook_secret
            try:
                async with self._webhook_http.post(
                    self.webhook_url, json=update, headers=headers
                ) as answer:
                    if answer.status < 300:
                        return
            except aiohttp.ClientError:
                pass  # the bot is down or restarting: Telegram tries again
            await asyncio.sleep(_WEBHOOK_RETRY_S)

    async def stop(self) -> None:
        for task in list(self._posting):
            task.cancel()
        await asyncio.gather(*self._posting, return_exceptions=True)
        if self._webhook_http is not None:
            await self._webhook_http.close()
            self._webhook_http = None
        await super().stop()

    def _delete_webhook(self, params: dict[str, Any], token: str) -> bool:
        self.webhook_url = None
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    def _send_message(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        text = params.get("text")
        if not text:
            raise BotAPIError(400, "Bad Request: message text is empty")
        if len(str(text)) > _MAX_TEXT:
            raise BotAPIError(400, "Bad Request: message is too long")
        return self._bot_message(params, {"text": str(text)})

    def _stored_for_edit(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if chat_id is None or message_id is None:
            raise BotAPIError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, int(message_id))
        if key not in self.messages:  # unknown to the fake: be lenient, pretend it exists
            self.messages[key] = {
                "message_id": int(message_id),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self._bot_user(),
            }
        return self.messages[key]

    def _apply_edit(
        self, params: dict[str, Any], field: str | None, value: str | None
    ) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        stored = self._stored_for_edit(params)
        markup = self._inline_markup(params)
        same_content = field is None or stored.get(field) == value
        if same_content and stored.get("reply_markup") == markup:
            raise BotAPIError(400, _NOT_MODIFIED)
        if field is not None:
            stored[field] = value
        if markup is None:  # editing without reply_markup removes the inline keyboard
            stored.pop("reply_markup", None)
        else:
            stored["reply_markup"] = markup
        stored["edit_date"] = int(time.time())
        return copy.deepcopy(stored)

    def _edit_message_text(self, params: dict[str, Any], token: str) -> dict[str, Any] | bool:
        text = params.get("text")
        if not text:
            raise BotAPIError(400, "Bad Request: message text is empty")
        return self._apply_edit(params, "text", str(text))

    def _edit_message_caption(self, params: dict[str, Any], token: str) -> dict[str, Any] | bool:
        caption = params.get("caption")
        return self._apply_edit(params, "caption", None if caption is None else str(caption))

    def _edit_message_reply_markup(
        self, params: dict[str, Any], token: str
    ) -> dict[str, Any] | bool:
        return self._apply_edit(params, None, None)

    def _with_caption(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        if params.get("caption"):
            content["caption"] = str(params["caption"])
        return content

    def _send_document(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        source = params.get("document")
        if not source:
            raise BotAPIError(400, "Bad Request: there is no document in the request")
        content = self._with_caption(params, {"document": self._document(source)})
        return self._bot_message(params, content)

    def _send_photo(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        source = params.get("photo")
        if not source:
            raise BotAPIError(400, "Bad Request: there is no photo in the request")
        content = self._with_caption(params, {"photo": self._photo_sizes(source)})
        return self._bot_message(params, content)

    def _copy_message(self, params: dict[str, Any], token: str) -> dict[str, int]:
        source = self.messages.get((params.get("from_chat_id"), params.get("message_id")))
        if source is None:
            raise BotAPIError(400, "Bad Request: message to copy not found")
        content = {
            key: copy.deepcopy(value)
            for key, value in source.items()
            if key in ("text", "caption", "photo", "document", "sticker", "entities")
        }
        if "caption" in params:
            content["caption"] = str(params["caption"])
        return {"message_id": self._bot_message(params, content)["message_id"]}

    def _create_forum_topic(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        chat_id, name = params.get("chat_id"), params.get("name")
        if chat_id is None or not name:
            raise BotAPIError(400, "Bad Request: invalid forum topic name specified")
        # Real thread ids are the id of the topic's service message in that chat.
        thread_id = self._next_message_id(chat_id)
        self.topics.setdefault(chat_id, {})[thread_id] = str(name)
        return {
            "message_thread_id": thread_id,
            "name": str(name),
            "icon_color": int(params.get("icon_color") or _DEFAULT_ICON_COLOR),
        }

    def _get_file(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise BotAPIError(400, "Bad Request: invalid file_id")
        path, upload = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"AgAD{abs(hash(file_id)) % 10**8}",
            "file_size": len(upload.content),
            "file_path": path,
        }
