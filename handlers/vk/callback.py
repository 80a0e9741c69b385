"""VK's Callback API: VK posts each community event to VK_CALLBACK_URL, one at a time, and
resends one it got no "ok" for within seconds. The confirmation request is answered with the
community's code; any other event without the secret key is refused (401); a good event is
routed through vkbottle and answered "ok" as soon as it is recorded (handlers/vk/channel.py
handles a message after that, in the background)."""

import contextlib
import hashlib
import hmac
import logging
from typing import Any

from aiohttp import ClientError, web
from vkbottle import API, VKAPIError
from vkbottle.bot import Bot
from vkbottle.callback import BotCallback

from bot.core.config import Settings
from bot.core.inflight import InFlight
from bot.core.messages import Channel
from bot.core.metrics import WEBHOOK_REJECTED

log = logging.getLogger(__name__)

TITLE = "Priemnaya"  # the server's name in the community settings (VK allows 14 characters)
# The events the bot handles (handlers/vk/channel.py, wall.py), switched on for its server.
EVENTS = ("message_new", "wall_reply_new", "wall_post_new")


def callback_secret(settings: Settings) -> str:
    """VK_CALLBACK_SECRET, or one derived from SECRET_KEY (hex: letters and digits, as VK
    wants), the same across restarts and workers."""
    if settings.vk_callback_secret is not None:
        return settings.vk_callback_secret.get_secret_value()
    return hashlib.sha256(f"vk-callback:{settings.secret()}".encode()).hexdigest()[:32]


class CallbackEndpoint:
    def __init__(
        self,
        bot: Bot,
        callback: BotCallback,
        confirmation: str | None,
        inflight: InFlight,
    ) -> None:
        assert callback.group_id is not None
        self.bot = bot
        self.callback = callback  # the server's set-up in the community, by vkbottle
        self.group_id = callback.group_id
        self.secret = callback.get_secret_key()
        self.confirmation = confirmation  # given (VK_CALLBACK_CONFIRMATION), or asked of VK
        self.inflight = inflight

    async def confirmation_code(self) -> str:
        """Asked of VK once: with several workers VK's check of a server one of them added
        may reach another before that one's own set-up has asked."""
        if self.confirmation is None:
            self.confirmation = await self.callback.get_callback_confirmation_code()
        return self.confirmation

    async def handle(self, request: web.Request) -> web.Response:
        try:
            event: Any = await request.json()
        except ValueError:
            event = None
        if not isinstance(event, dict):
            return web.Response(status=400, text="expected a JSON object")
        if event.get("type") == "confirmation":
            if event.get("group_id") != self.group_id:
                return web.Response(status=400, text="another community")
            try:
                return web.Response(text=await self.confirmation_code())
            except VKAPIError as exc:
                log.error("VK Callback API: no confirmation code (VK error %s)", exc.code)
                return web.Response(status=503, text="no confirmation code")
        given = event.pop("secret", None)
        if not isinstance(given, str) or not hmac.compare_digest(
            given.encode(), self.secret.encode()
        ):
            WEBHOOK_REJECTED.labels(channel=Channel.VK).inc()
            return web.Response(status=401, text="wrong secret key")
        if event.get("group_id") == self.group_id:
            # A handler's error (the database gone for good) answers 500: VK sends it again.
            await self.inflight.run(lambda: self.bot.process_event(event))
        return web.Response(text="ok")


async def connect(endpoint: CallbackEndpoint) -> None:
    """Add this server to the community's Callback API servers (or update the one with this
    URL): the secret key, vkbottle's API version, the events the bot handles. VK checks a new
    server at once, so the confirmation code is fetched first. Needs the token's "Управление
    сообществом" right; without it the office sets the server up by hand (README)."""
    callback = endpoint.callback
    try:
        await endpoint.confirmation_code()
        server_id = await _the_server(callback)
        settings: dict[str, Any] = {"api_version": API.API_VERSION}
        settings.update(dict.fromkeys(EVENTS, True))
        await callback.set_callback_settings(server_id, settings)
    except VKAPIError as exc:
        log.error(
            "VK did not let the bot set up its Callback API server (error %s: %s): give the"
            " community token the 'Управление сообществом' right, or add the server in the"
            " community's settings and set VK_CALLBACK_CONFIRMATION and VK_CALLBACK_SECRET",
            exc.code,
            exc.error_msg,
        )
        return
    except (ClientError, TimeoutError) as exc:
        # It is likely set up from the last start: serve what VK posts anyway.
        log.error("VK unreachable, its Callback API server not checked: %s", type(exc).__name__)
        return
    log.info("VK Callback API server %s set up for community %s", server_id, callback.group_id)


async def _the_server(callback: BotCallback) -> int:
    """The one server with this URL: added, or brought up to date (the secret key may have
    changed). Workers starting at once may each add one; all keep the oldest, or VK would
    post every event to each."""
    ours = await _servers_at(callback)
    if ours:
        await callback.edit_callback_server(ours[0])
    else:
        await callback.add_callback_server()
        ours = await _servers_at(callback)
    for extra in ours[1:]:
        with contextlib.suppress(VKAPIError):  # another worker deleted it first
            await callback.delete_callback_server(extra)
    return ours[0]


async def _servers_at(callback: BotCallback) -> list[int]:
    servers = await callback.get_callback_servers()
    return sorted(server["id"] for server in servers if server["url"] == callback.url)
