"""Word normalisation for the knowledge-base search: a text becomes the words it is indexed by.

* Russian words are reduced to lemmas with pymorphy3 ("записи" -> "запись"); a short lemma
  prefix is the key of a word family ("записаться" / "запись").
* Latin words are stemmed as English (Snowball) or transliterated to Cyrillic and back.
* Stop lists name the function words that say nothing about a topic.

The only expensive object, the morphological analyzer, is created once per process, lazily.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

import snowballstemmer

if TYPE_CHECKING:
    import pymorphy3

_WORD_RE = re.compile(r"[a-zа-я0-9]+")
CYRILLIC_RE = re.compile(r"[а-я]")
LATIN_RE = re.compile(r"^[a-z]+$")
LATIN_WORDS_RE = re.compile(r"[a-z]+")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, question words and politeness: they say nothing about the topic.
STOP_RU = _wordset(
    """
    а без более бы быть в ваш вам вас весь во вот вы где да даже для до его ее если есть еще
    же за здесь и из или им их к как какой каков когда который кто куда ли либо мне мной мочь
    мой мы на над нам нас наш не него нее нет ни нибудь ничто но ну о об один он она они оно
    от очень по под подсказать подскажите пожалуйста позволить при про раз разве с сам свой
    себя сейчас скажите сказать со спасибо так такой там тебя то тогда тоже только том тот
    ты тут у уж уже хотеть хотеться через что чтоб чтобы чей это этот я здравствуйте
    здравствовать привет добрый день утро вечер день-то можно
    все следует должен почему зачем вообще вопрос интересовать делать сделать
    """
)
STOP_EN = _wordset(
    """
    a an the i me my we our you your he she it its they them their is are am was were be been
    do does did can could would will shall should may might must to of in on at by for with
    from about as and or but if so not no what how where when which who whom why there here
    this that these those have has had get got want need like please hello hi thanks any some
    """
)

_EN_STEMMER = snowballstemmer.stemmer("english")
_STOP_EN_STEMS = frozenset(_EN_STEMMER.stemWords(sorted(STOP_EN)))

# Latin -> Cyrillic, longest first. Ambiguities are resolved by trying the base's own words
# first (see KnowledgeIndex._latin_to_russian); these rules cover inflected forms the base
# does not contain.
_TRANSLIT_RULES: tuple[tuple[str, str], ...] = tuple(
    (pair[: pair.index("=")], pair[pair.index("=") + 1 :])
    for pair in _wordset(
        """
        shch=щ tsya=ться sch=щ zh=ж kh=х ch=ч sh=ш ts=ц ya=я yu=ю yo=е ye=е ja=я ju=ю
        a=а b=б v=в g=г d=д e=е z=з i=и y=ы k=к l=л m=м n=н o=о p=п r=р s=с t=т u=у f=ф
        h=х c=ц j=й w=в x=кс q=к
        """
    )
)
# Cyrillic -> the Latin spelling people type in chats (no apostrophes for ь/ъ).
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_VOWELS_LAT = frozenset("aeiouy")


# ------------------------------------------------------------------ cached analysis


@functools.cache
def morph() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes ~0.1 s and ~15 MB: once per process, on first use.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def lemmas_of(word: str) -> tuple[str, ...]:
    """Distinct normal forms of a Cyrillic word, the most likely first."""
    seen: dict[str, None] = {}
    for parse in morph().parse(word)[:4]:
        lemma = parse.normal_form.replace("ё", "е")
        # Reflexive and plain verbs meet: "регулируется" ~ "регулировать", "записаться" ~
        # "записать"; the difference rarely changes what a citizen asks about.
        if lemma.endswith(("ться", "тись", "чься")):
            lemma = lemma[:-2]
        seen.setdefault(lemma, None)
    return tuple(seen)


@functools.lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """Whether the Russian dictionary knows the word (else it may be a typo)."""
    return bool(morph().word_is_known(word))


# Zipf frequency (log10 per billion words, wordfreq): "завтра" 5.3, "бухгалтер" 3.7,
# "тахограф" 1.9. Between these bounds a word goes from "says nothing" to "says a lot".
_COMMON_ZIPF = 5.5
_RARE_ZIPF = 3.0
_COMMON_FLOOR = 0.15


@functools.lru_cache(maxsize=100_000)
def rarity(word: str) -> float:
    """How much a word the base does not contain tells about the question, in (0, 1].

    An everyday word ("завтра", "жена", "привезти") says little: a question that has it is
    still about the base. A rare one (a term of another agency, a typo beyond repair) says
    the question may be about something else.
    """
    import wordfreq  # ~0.2 s to load the small lists, on the first unseen word

    if LATIN_RE.match(word):
        zipf = max(
            wordfreq.zipf_frequency(word, "en", wordlist="small"),
            wordfreq.zipf_frequency(from_latin(word), "ru", wordlist="small"),
        )
    else:
        zipf = wordfreq.zipf_frequency(word, "ru", wordlist="small")
    share = (_COMMON_ZIPF - zipf) / (_COMMON_ZIPF - _RARE_ZIPF)
    return min(1.0, max(_COMMON_FLOOR, share))


@functools.lru_cache(maxsize=50_000)
def en_stem(word: str) -> str:
    """The index term of an English word: its Snowball stem, marked "en:"."""
    return "en:" + _EN_STEMMER.stemWord(word)


# Phrases whose words mislead one by one: "электронная почта" is e-mail, not the post.
_EMAIL_RE = re.compile(
    r"\b(?:e-mail|е-мейл\w*|емейл\w*|имейл\w*|мейл\w*|электронк\w*"
    r"|эл(?:ектронн\w*|\.)?\s*почт\w*)"
)


def en_stop(term: str) -> bool:
    """Whether an index term is an English function word."""
    return term.startswith("en:") and term[3:] in _STOP_EN_STEMS


# Chat spellings too far from the word for a typo match.
_COLLOQUIAL = {
    "скоко": "сколько", "скока": "сколько", "сколка": "сколько", "чё": "что", "че": "что",
    "щас": "сейчас", "чтоли": "что", "пжл": "пожалуйста", "пжлст": "пожалуйста",
    "плиз": "пожалуйста", "спс": "спасибо", "норм": "нормально", "тел": "телефон",
    "инфа": "информация",
}  # fmt: skip


def split_words(text: str) -> list[str]:
    """The text's words, lower-cased, with e-mail phrases and chat spellings normalised."""
    text = text.lower().replace("ё", "е")
    text = _EMAIL_RE.sub(" email ", text)
    words = _WORD_RE.findall(text)
    if _COLLOQUIAL.keys().isdisjoint(words):
        return words
    return [_COLLOQUIAL.get(word, word) for word in words]


def join_split_words(words: list[str], base_words: Container[str]) -> list[str]:
    """Join neighbours that form one word of the base: "гос услуги", "в контакте"."""
    if len(words) < 2:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        # Only a short first part is a split-off prefix (гос, спец, в, эл).
        if len(words[i]) <= 4 and i + 1 < len(words) and (words[i] + words[i + 1]) in base_words:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


_CYR_TO_LAT_TABLE = str.maketrans(_CYR_TO_LAT)


def to_latin(word: str) -> str:
    """A Cyrillic word as people spell it in Latin letters."""
    return word.translate(_CYR_TO_LAT_TABLE)


def canon_latin(word: str) -> str:
    """Bring a Latin spelling of a Russian word to the form to_latin produces."""
    word = word.replace("shch", "sch").replace("kh", "h").replace("x", "ks").replace("w", "v")
    word = word.replace("ja", "ya").replace("ju", "yu").replace("j", "y").replace("q", "k")
    # "c" alone is "ц" (spec, ecp); "ch" stays.
    return re.sub(r"c(?!h)", "ts", word)


_TRANSLIT_RE = re.compile("|".join(sorted((lat for lat, _ in _TRANSLIT_RULES), key=len)[::-1]))
_TRANSLIT_MAP = dict(_TRANSLIT_RULES)


@functools.lru_cache(maxsize=50_000)
def from_latin(word: str) -> str:
    """A Latin-spelled Russian word back in Cyrillic, by rule."""

    def replace(match: re.Match[str]) -> str:
        lat = match.group()
        # "y" after a vowel or at the start is "й" (moy, yolka), else "ы".
        if lat == "y" and (match.start() == 0 or word[match.start() - 1] in _VOWELS_LAT):
            return "й"
        return _TRANSLIT_MAP[lat]

    return _TRANSLIT_RE.sub(replace, word)


def russian_reading(text: str, to_russian: Callable[[str], str | None]) -> str | None:
    """The text with Latin-typed Russian words in Cyrillic ("vy rabotaete" -> "вы работаете"),
    for the sentence model, which reads transliteration poorly; None for text in English or
    with no Latin words. ``to_russian`` reads one word (the base's own words first)."""
    import wordfreq

    words = LATIN_WORDS_RE.findall(text.lower())
    english = sum(wordfreq.zipf_frequency(word, "en", wordlist="small") >= 3.0 for word in words)
    if not words or 2 * english > len(words):
        return None
    return LATIN_WORDS_RE.sub(
        lambda match: to_russian(match.group().lower()) or from_latin(match.group().lower()),
        text.lower(),
    )


_PREFIX = 5  # letters of a lemma that make its word-family key


def prefix(lemma: str) -> str | None:
    """The word-family key of a lemma ("~запис"), or None for a short one."""
    return "~" + lemma[:_PREFIX] if len(lemma) > _PREFIX else None
