"""Translation between aiogram types and the core's neutral messages."""

from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.core.messages import Channel, FileRef, Incoming, Reply, Unsupported

# Message content fields that carry something other than text, in the order we check them.
UNSUPPORTED_FIELDS = (
    ("sticker", Unsupported.STICKER),
    ("photo", Unsupported.PHOTO),
    ("voice", Unsupported.VOICE),
    ("audio", Unsupported.VOICE),
    ("video_note", Unsupported.VIDEO),
    ("video", Unsupported.VIDEO),
    ("animation", Unsupported.VIDEO),
    ("document", Unsupported.FILE),
    ("location", Unsupported.LOCATION),
    ("venue", Unsupported.LOCATION),
    ("contact", Unsupported.CONTACT),
)


def from_message(message: Message, update_id: int) -> Incoming:
    unsupported = None
    if message.text is None:
        unsupported = next(
            (kind for field, kind in UNSUPPORTED_FIELDS if getattr(message, field) is not None),
            Unsupported.OTHER,
        )
    user = message.from_user
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(user.id if user else message.chat.id),
        chat_id=str(message.chat.id),
        text=message.text or message.caption or "",
        unsupported=unsupported,
        locale=user.language_code if user else None,
        update_id=str(update_id),
        files=file_refs(message),
    )


def file_refs(message: Message) -> tuple[FileRef, ...]:
    """A photo (its largest size) or a document, by Telegram file id."""
    if message.photo:
        return (FileRef("photo", message.photo[-1].file_id, "photo.jpg"),)
    if message.document:
        document = message.document
        return (FileRef("document", document.file_id, document.file_name or "document"),)
    return ()


def from_callback(query: CallbackQuery, update_id: int) -> Incoming:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(query.from_user.id),
        chat_id=str(chat_id),
        action=query.data or "",
        locale=query.from_user.language_code,
        update_id=str(update_id),
    )


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=button.text, callback_data=button.action) for button in row]
            for row in reply.buttons
        ]
    )


def pressed_label(query: CallbackQuery) -> str | None:
    """The text of the button that was pressed, read from the message it belongs to."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None
