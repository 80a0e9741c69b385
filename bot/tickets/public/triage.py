"""Which public comments need an answer. A wall comment or a discussion-group message starts
a ticket and its 2-hour (4 for a mention) clock only when someone expects a reply; the rules
below, tried in this order, set the rest aside (a moderator can still open one, desk.py):

1. EMPTY: no text at all (a sticker, a photo without words).
2. NO_WORDS: not one letter or digit: emoji only, a bare "+", "!!!".
3. SPAM, only for a comment with no question mark, no word of the office's list of asking
   words ("вопрос", "подскажите", "ли") and at most SPAM_WORDS words besides its links; then
   any of:
   a. a phrase of the office's spam list ("заработок в интернете", "пассивный доход");
   b. a link to a site not on the office's list of known domains (gosuslugi.ru, *.gov.ru,
      мвд.рф, vk.com...);
   c. a link with not one word besides it, even to a known site ("vk.com/club1 👍"; but
      "Госуслуги.рф не работает" is a complaint);
   d. one letter RUN times in a row that makes up most of the comment's letters
      ("ааааааа"; not "Ужасссссс, третий день жду ответа", and never digits: "1000000").
4. THANKS: a word of thanks ("спасибо", "благодарю") with no question mark, every other word
   a filler ("большое", "за информацию"). Words are compared by their dictionary forms, so
   "благодарим" and "благодарны" count as well; one word off the lists ("Спасибо, но сайт
   опять не работает") makes it a question, so a doubt ends in an answer, not in silence.
5. Anything else is a question or a complaint: it becomes a ticket.

Any doubt is a ticket: an advertisement taken for a question costs a moderator one press
("Не требует ответа"), a question taken for spam costs a person their answer. Mentions of the
community or the bot ("[club1|Управление]", "@priemnaya_bot") are left out before the rules
apply. The lists are content (words.yaml, or CONTENT_DIR/tickets/public.yaml).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field

from bot.core.config import Settings
from bot.core.content import Strict, load_model

SHIPPED = Path(__file__).parent / "words.yaml"
SPAM_WORDS = 12
RUN = 6

# The lemmatiser (the knowledge base's, handed in by the assembly): a lower-case word's
# dictionary forms, the most likely first.
Lemmas = Callable[[str], Iterable[str]]


class Skip(StrEnum):
    """Why a comment needs no answer (shown to moderators, stored with the skipped comment)."""

    EMPTY = "empty"
    NO_WORDS = "no_words"
    SPAM = "spam"
    THANKS = "thanks"


Words = Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]


class _WordsFile(Strict):
    thanks: Words
    fillers: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    spam: tuple[str, ...] = ()
    asking: tuple[str, ...] = ()


_MENTION = re.compile(r"\[(?:club|public|id)\d+\|[^\]]*\]|@\w+")
_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?((?:[a-zа-я0-9-]+\.)+(?:[a-z]{2,}|рф))(?![a-zа-я0-9-])(?:/\S*)?"
)
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_RUN = re.compile(rf"([^\W\d_])\1{{{RUN - 1},}}")


@dataclass(frozen=True)
class Triage:
    """The office's word lists, with each word's dictionary forms."""

    thanks: frozenset[str]
    fillers: frozenset[str]
    domains: tuple[str, ...]
    spam: tuple[re.Pattern[str], ...]
    asking: frozenset[str]
    lemmas: Lemmas

    @classmethod
    def load(cls, path: Path, lemmas: Lemmas) -> "Triage":
        """Read the lists; ContentError names the file and line at fault."""
        words = load_model(path, _WordsFile)

        def forms(listed: Iterable[str]) -> frozenset[str]:
            return frozenset(form for word in listed for form in _forms(word.lower(), lemmas))

        return cls(
            thanks=forms(words.thanks),
            fillers=forms(words.fillers),
            domains=tuple(domain.lower() for domain in words.domains),
            # A phrase from the start of a word: "заработай" finds "заработайте" too.
            spam=tuple(re.compile(rf"(?<![^\W_]){re.escape(p.lower())}") for p in words.spam),
            asking=forms(words.asking),
            lemmas=lemmas,
        )

    @classmethod
    def from_settings(cls, settings: Settings, lemmas: Lemmas) -> "Triage":
        """CONTENT_DIR/tickets/public.yaml when the office has one, else the shipped lists."""
        path = settings.content_dir / "tickets" / "public.yaml" if settings.content_dir else None
        return cls.load(path if path is not None and path.exists() else SHIPPED, lemmas)

    def skip(self, text: str) -> Skip | None:
        """Why the comment needs no answer, or None when it does (rules 1-5 above)."""
        text = _MENTION.sub(" ", text).lower().replace("ё", "е").strip()
        if not text:
            return Skip.EMPTY
        if not _WORD.search(text):
            return Skip.NO_WORDS
        if self._spam(text):
            return Skip.SPAM
        if "?" not in text and self._thanks(_WORD.findall(text)):
            return Skip.THANKS
        return None

    def _spam(self, text: str) -> bool:
        words = _WORD.findall(_LINK.sub(" ", text))
        if "?" in text or len(words) > SPAM_WORDS or self._asks(words):
            return False
        if any(phrase.search(text) for phrase in self.spam) or self._run(text):
            return True
        links = list(_LINK.finditer(text))
        if not links:
            return False
        if any(not self._known(link.group(1)) for link in links):
            return True
        return not words

    def _asks(self, words: list[str]) -> bool:
        return any(_forms(word, self.lemmas) & self.asking for word in words)

    @staticmethod
    def _run(text: str) -> bool:
        """A letter repeated RUN times that is most of the comment's letters."""
        longest = max((len(m.group(0)) for m in _RUN.finditer(text)), default=0)
        return longest > 0 and 2 * longest >= len(_LETTER.findall(text))

    def _known(self, domain: str) -> bool:
        return any(domain == known or domain.endswith(f".{known}") for known in self.domains)

    def _thanks(self, words: list[str]) -> bool:
        found = False
        for word in words:
            forms = _forms(word, self.lemmas)
            if forms & self.thanks:
                found = True
            elif not forms & self.fillers:
                return False
        return found


def _forms(word: str, lemmas: Lemmas) -> frozenset[str]:
    """The word as written and its dictionary forms ("спс" is in no dictionary)."""
    word = word.replace("ё", "е")
    return frozenset((word, *lemmas(word)))
