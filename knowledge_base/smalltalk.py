"""Thank-yous, greetings and goodbyes: a short human reply, not a topic of the base.

Only a message made of nothing else counts ("спасибо большое!", "здравствуйте", "ok bye");
"спасибо, а как записаться?" is a question and goes to the search.
"""

from __future__ import annotations

from knowledge_base.words import split_words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Catalog key of the reply -> the words that make such a message, in order of precedence.
_KINDS = (
    ("faq-chat-thanks", _words(
        "спасибо спасиба спасибки спс благодарю благодарим благодарность thanks thank thx "
        "spasibo spasibki blagodaryu"
    )),
    ("faq-chat-bye", _words("пока свидания доброго bye goodbye poka svidaniya")),
    ("faq-chat-hello", _words(
        "привет добрый доброе здравствуйте здравствуй здрасте здрасьте салам hi hello hey privet "
        "zdravstvuyte zdravstvuite"
    )),
    ("faq-chat-ok", _words("ок окей ok okay хорошо понятно ясно ладно понял поняла ponyatno")),
)  # fmt: skip
# Words that may come along without changing what the message is.
_FILLER = _words(
    "а и вам тебе вы ты большое огромное очень всё все день утро вечер "
    "всего до за помощь помогли бот you very much so a lot good morning evening afternoon "
    "for the help bot dear"
)


def chat_reply(text: str) -> str | None:
    """The catalog key of the reply to a message of pure small talk, or None."""
    words = set(split_words(text))
    if not words or len(words) > 8:
        return None
    found = None
    for key, kind in _KINDS:
        if words & kind and found is None:
            found = key
    if found is None:
        return None
    every = _FILLER.union(*(kind for _, kind in _KINDS))
    return found if words <= every else None
