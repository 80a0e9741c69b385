"""Knowledge base: content coverage, YAML loading and search behaviour."""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
import re

import numpy as np
import pymorphy3
import pytest
import yaml

from bot.core.content import ContentError
from knowledge_base.decision import FEATURES, Decision, DecisionModel
from knowledge_base.entries import Entry, dump_entries, load_entries
from knowledge_base.retrieval import Retriever
from knowledge_base.search import KnowledgeIndex
from knowledge_base.semantic import Encoder
from knowledge_base.store import MODEL_FILE, SHIPPED

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO = REPO / "knowledge_base" / "demo"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return load_entries(DEMO)


@pytest.fixture(scope="module")
def index(entries: list[Entry]) -> KnowledgeIndex:
    return KnowledgeIndex(entries)


@pytest.fixture(scope="module")
def model() -> DecisionModel:
    return DecisionModel.load(SHIPPED / MODEL_FILE)


@pytest.fixture(scope="module")
def retriever(entries: list[Entry], model: DecisionModel) -> Retriever:
    return Retriever(entries, Encoder(), model)


def ask(retriever: Retriever, question: str) -> tuple[str | None, float]:
    decision, _ = retriever.decide(question)
    return (decision.entry_ids[0] if decision.kind == "answer" else None), decision.confidence


def top(index: KnowledgeIndex, question: str) -> str | None:
    hits = index.search(question)
    return hits[0].entry_id if hits else None


def make_entry(entry_id: str, **changes: object) -> Entry:
    base = Entry(
        id=entry_id,
        title_ru="Заголовок",
        title_en="Title",
        answer_ru="Ответ.",
        answer_en="Answer.",
        questions=("вопрос",),
        keywords=(),
        buttons=(),
        service="general",
        touchpoint="messenger",
        updated_at=datetime.date(2026, 11, 20),
        reviewed_by="test",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------ search: language


@pytest.mark.parametrize(
    "question",
    ["запись на приём", "записи на прием нет?", "как записаться на приём", "запишусь на приём"],
)
def test_inflected_forms_meet(index, question):
    assert top(index, question) == "appointment_booking"


def test_lemmas_join_forms_and_aspect_pairs():
    index = KnowledgeIndex(
        [
            make_entry("record", questions=("запись",)),
            make_entry("rule", questions=("регулировать",)),
            make_entry("fee", questions=("пошлина",)),
        ]
    )
    # Another form of a word counts as the word itself, not as a near miss.
    for form, word in (("записи", "запись"), ("регулируется", "регулировать")):
        assert index.search(form) == index.search(word), form


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("зопись на приём", "appointment_booking"),
        ("какой нужен прапуск в здание", "building_pass"),
        ("скоко стоит госпошлена за лицензию", "state_fee_amount"),
        ("куда пожаловатся на инспектора", "complaint_pretrial_appeal"),
    ],
)
def test_typos(index, question, expected):
    assert top(index, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("zapisatsya na priem", "appointment_booking"),
        ("kak doehat do upravleniya", "office_address"),
        ("skolko stoit poshlina za licenziyu", "state_fee_amount"),
        ("kak otmenit zapis", "appointment_cancel_reschedule"),
    ],
)
def test_transliteration(index, question, expected):
    assert top(index, question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When are you open on Friday?", "working_hours"),
        ("How much is the state fee for a licence?", "state_fee_amount"),
        ("I need to talk to a real person", "live_operator"),
        ("Where is your office?", "office_address"),
    ],
)
def test_english(index, question, expected):
    assert top(index, question) == expected


def test_word_order_does_not_matter(index):
    straight = index.search("как отменить запись на приём")
    shuffled = index.search("запись на приём отменить как")
    assert straight == shuffled
    assert straight[0].entry_id == "appointment_cancel_reschedule"


def test_split_word_is_joined(index):
    assert top(index, "подать заявление через гос услуги") == "apply_gosuslugi"


def test_email_phrase_is_not_the_post(index):
    assert top(index, "можно отправить заявление по электронной почте") == "apply_email_signature"
    assert top(index, "можно отправить заявление почтой россии") == "apply_by_post"


# ------------------------------------------------------------------ search: scores and decisions


def test_hits_are_sorted_bounded_and_limited(index):
    hits = index.search("сколько стоит пошлина", limit=5)
    assert 1 <= len(hits) <= 5
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert index.search("сколько стоит пошлина", limit=0) == []


def test_empty_and_junk_questions(index, retriever):
    assert index.search("") == []
    assert index.search("?!...") == []
    assert retriever.decide("")[0] == Decision("none", ())
    assert retriever.decide("?!...")[0] == Decision("none", ())


def test_empty_base_answers_nothing(model):
    retriever = Retriever([make_entry("only", enabled=False)], Encoder(), model)
    assert len(retriever) == 0
    assert retriever.search("вопрос", 3) == []
    assert ask(retriever, "вопрос") == (None, 0.0)


def test_small_custom_base(model):
    entries = [
        make_entry("parking", title_ru="Парковка у здания", keywords=("стоянка",)),
        make_entry("lunch", title_ru="Обеденный перерыв", keywords=("обед",)),
    ]
    retriever = Retriever(entries, Encoder(), model)
    assert retriever.search("где оставить машину на стоянке", 1)[0].entry_id == "parking"
    assert retriever.search("когда у вас обед", 1)[0].entry_id == "lunch"


def test_disabled_entries_are_not_searchable(entries, model):
    disabled = [
        dataclasses.replace(e, enabled=False) if e.id == "working_hours" else e for e in entries
    ]
    retriever = Retriever(disabled, Encoder(), model)
    assert len(retriever) == len(entries) - 1
    hits = retriever.search("режим работы часы работы", 10)
    assert "working_hours" not in {hit.entry_id for hit in hits}


def one_feature_model(answer_at: float, suggest_at: float) -> DecisionModel:
    """Probability = sigmoid(10 * (blend - 0.5)): only the first feature counts."""
    weights = (10.0,) + (0.0,) * (len(FEATURES) - 1)
    mean = (0.5,) + (0.0,) * (len(FEATURES) - 1)
    ones = (1.0,) * len(FEATURES)
    return DecisionModel(weights, 0.0, mean, ones, answer_at, suggest_at, (1.0, 1.0, 0.3))


def features(blend: float, lead: float = 0.3) -> np.ndarray:
    values = np.zeros(len(FEATURES))
    values[FEATURES.index("blend")] = blend
    values[FEATURES.index("blend_lead")] = lead
    return values


def test_decision_follows_the_probability_and_thresholds():
    model = one_feature_model(answer_at=0.8, suggest_at=0.3)
    ranked = ["a", "b", "c", "d"]
    assert model.decide(ranked, features(0.7)).kind == "answer"  # p = 0.88
    assert model.decide(ranked, features(0.7, lead=0.01)).kind == "suggest"  # a near tie
    offer = model.decide(ranked, features(0.5))  # p = 0.5
    assert offer.kind == "suggest" and offer.entry_ids == ("a", "b", "c")
    assert model.decide(ranked, features(0.3)) == Decision("none", (), 0.1192)
    assert model.decide([], features(0.9)) == Decision("none", ())


def test_shipped_model_thresholds_are_ordered(model):
    assert 0.0 < model.suggest_at <= model.answer_at < 1.0
    assert model.fitted_on


def test_model_file_round_trip(tmp_path, model):
    model.save(tmp_path / "m.json")
    assert DecisionModel.load(tmp_path / "m.json") == model
    (tmp_path / "short.json").write_text(
        (tmp_path / "m.json").read_text().replace('"weights": [', '"weights": [1.0, ')
    )
    with pytest.raises(ValueError, match="kb fit"):
        DecisionModel.load(tmp_path / "short.json")


@pytest.mark.parametrize(
    "question",
    [
        "Как получить загранпаспорт?",
        "Где купить билет на самолёт до Сочи?",
        "Как оформить пенсию по старости?",
        "Сколько стоит техосмотр легковой машины?",
        "Почему до сих пор нет ответа по заявлению № 48213?",
        "как оформить полис осаго",
        "ты тупой",
    ],
)
def test_off_topic_questions_are_not_answered(retriever, question):
    topic, score = ask(retriever, question)
    assert topic is None, (question, topic, score)


def test_ask_answers_clear_questions(retriever, model):
    topic, score = ask(retriever, "Где взять реквизиты для оплаты госпошлины?")
    assert topic == "state_fee_payment"
    assert score >= model.answer_at


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # An everyday word the base never uses ("завтра", "жена") does not sink the match.
        ("запишите меня на приём на завтра", "appointment_booking"),
        ("жена хочет узнать до скольки вы работаете", "working_hours"),
        # Meaning across languages and spellings.
        ("how much is the state fee", "state_fee_amount"),
    ],
)
def test_everyday_words_and_other_languages(retriever, question, topic):
    assert ask(retriever, question)[0] == topic


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("Спасибо большое!", "faq-chat-thanks"),
        ("спс", "faq-chat-thanks"),
        ("thank you very much", "faq-chat-thanks"),
        ("Здравствуйте", "faq-chat-hello"),
        ("добрый день", "faq-chat-hello"),
        ("до свидания", "faq-chat-bye"),
    ],
)
def test_thanks_and_greetings_get_a_human_reply(retriever, message, reply):
    assert retriever.decide(message)[0] == Decision("chat", (), chat=reply)


def test_a_question_after_thanks_is_still_a_question(retriever):
    decision, _ = retriever.decide("спасибо, а как записаться на приём?")
    assert decision.kind == "answer" and decision.entry_ids == ("appointment_booking",)


def test_vague_question_is_suggested_not_answered(retriever):
    decision, _ = retriever.decide("согласие")
    assert decision.kind == "suggest"
    assert set(decision.entry_ids) & {"proactive_consent", "personal_data_consent"}


def test_vectors_are_cached_in_a_file(tmp_path):
    cache = tmp_path / "vectors.npz"
    encoder = Encoder(cache)
    first = encoder.encode(["как записаться", "режим работы"])
    encoder.save()
    with np.load(cache) as data:
        assert len(data["keys"]) >= 2 and data["vectors"].shape[1] == first.shape[1]
    assert np.allclose(Encoder(cache).encode(["режим работы"])[0], first[1])
    cache.write_bytes(b"broken")
    assert Encoder(cache).encode(["режим работы"]).shape == (1, first.shape[1])


def test_analyzer_is_created_once(monkeypatch, entries):
    created = []
    real = pymorphy3.MorphAnalyzer

    def counting(*args, **kwargs):
        created.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pymorphy3, "MorphAnalyzer", counting)
    for _ in range(3):
        KnowledgeIndex(entries[:5]).search("запись на приём")
    assert len(created) <= 1  # at most the first use in this process builds it


# ------------------------------------------------------------------ content


def test_every_topic_has_an_entry_covering_its_figures(entries):
    topics_file = SHARED / "kb_topics.yaml"
    if not topics_file.exists():
        pytest.skip("shared/kb_topics.yaml is not beside the repository")
    topics = yaml.safe_load(topics_file.read_text(encoding="utf-8"))["topics"]
    by_id = {entry.id: entry for entry in entries}
    missing = []
    for topic in topics:
        entry = by_id.get(topic["id"])
        if entry is None:
            missing.append(f"{topic['id']}: no entry")
            continue
        answer = entry.answer_ru.lower()
        for point in topic["must_cover"]:
            for figure in _figures(point):
                if figure.lower() not in answer:
                    missing.append(f"{topic['id']}: {figure!r} from {point!r}")
    assert not missing, "\n".join(missing)


def _figures(point: str) -> list[str]:
    """The checkable facts of a must_cover line: numbers, times, contacts, named buttons."""
    point = point.replace("(демо)", "").replace("— демо", "").replace("(срок — демо)", "")
    figures: list[str] = []
    figures += re.findall(r"8 \(800\) 000-00-00", point)
    figures += re.findall(r"[\w.-]+@[\w.-]+\.\w+", point)
    figures += re.findall(r"(?:vk\.com|t\.me)/\w+|tu-demo\.example", point)
    figures += re.findall(r"/[a-z]+", point)
    figures += re.findall(r"\d+(?::\d+)?", point)
    for name in re.findall(r"«([^»]+)»", point):
        # «Госуслуг» / «Госуслугах»: compare without the inflected ending.
        figures.append(name[:-2] if len(name) > 6 else name)
    return figures


def test_figures_helper_finds_facts():
    point = "Консультационная линия 8 (800) 000-00-00, пн–пт 9:00–17:00 (демо)"
    assert {"8 (800) 000-00-00", "9:00", "17:00"} <= set(_figures(point))
    assert "Госуслуг" in _figures("Кнопка в «Госуслугах»")


def test_demo_entries_follow_the_content_rules(entries):
    allowed = {"booking", "human", "scenarios", "contacts"}
    for entry in entries:
        assert 6 <= len(entry.questions) <= 12, entry.id
        assert entry.keywords, entry.id
        assert set(entry.buttons) <= allowed, entry.id
        assert entry.reviewed_by == "demo", entry.id
        assert entry.updated_at == datetime.date(2026, 11, 20), entry.id
        for text in (entry.answer_ru, entry.answer_en):
            assert not re.search(r"\*\*|__|<[a-z/]|^#|\]\(", text, re.MULTILINE), entry.id


def test_example_questions_are_not_copied_from_the_dev_set(entries):
    dev = SHARED / "faq_dev.tsv"
    if not dev.exists():
        pytest.skip("shared/faq_dev.tsv is not beside the repository")

    def norm(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.lower().replace("ё", "е")))

    dev_questions = {norm(line.split("\t")[0]) for line in dev.read_text("utf-8").splitlines()}
    copied = [(e.id, q) for e in entries for q in e.questions if norm(q) in dev_questions]
    assert not copied


def test_example_questions_find_their_own_entry(index, entries):
    # Each template must at least be reachable by its own examples (catches id typos and
    # examples that drifted to another topic).
    wrong = [
        (entry.id, question, top(index, question))
        for entry in entries
        for question in entry.questions
        if top(index, question) != entry.id
    ]
    assert len(wrong) <= len(entries) // 10, wrong


# ------------------------------------------------------------------ loading and dumping


def test_load_dump_load_is_lossless(entries, tmp_path):
    written = dump_entries(entries, tmp_path)
    assert written and all(path.suffix == ".yaml" for path in written)
    again = load_entries(tmp_path)
    assert sorted(again, key=lambda e: e.id) == sorted(entries, key=lambda e: e.id)
    # Dumping what was loaded gives the same files: the format is stable.
    second = tmp_path / "second"
    dump_entries(again, second)
    for path in written:
        assert (second / path.name).read_text("utf-8") == path.read_text("utf-8")


def test_dump_keeps_awkward_text(tmp_path):
    tricky = make_entry(
        "tricky",
        answer_ru="Строка с пробелом в конце \nи «кавычками»: да\n\n• пункт",
        answer_en="yes: no\n# not a comment",
        keywords=("on", "null", "123", "- dash"),
        questions=("? вопрос", "'кавычка'"),
        enabled=False,
    )
    dump_entries([tricky], tmp_path)
    assert load_entries(tmp_path) == [tricky]


def test_dump_writes_block_style_for_multiline_answers(entries, tmp_path):
    dump_entries(entries[:1], tmp_path)
    text = next(tmp_path.glob("*.yaml")).read_text("utf-8")
    assert "answer_ru: |" in text
    assert "\\n" not in text


def _write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _valid_yaml(entry_id: str = "demo_topic", **overrides: str) -> str:
    fields = {
        "id": entry_id,
        "title_ru": "Заголовок",
        "title_en": "Title",
        "answer_ru": "Ответ.",
        "answer_en": "Answer.",
        "questions": "[вопрос]",
        "keywords": "[слово]",
        "buttons": "[booking]",
        "service": "general",
        "touchpoint": "messenger",
        "updated_at": "2026-11-20",
        "reviewed_by": "demo",
    }
    fields.update(overrides)
    lines = [f"- {key}: {value}" if key == "id" else f"  {key}: {value}" for key, value in
             fields.items()]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_valid_file_loads(tmp_path):
    _write(tmp_path, "a.yaml", _valid_yaml())
    [entry] = load_entries(tmp_path)
    assert entry.id == "demo_topic" and entry.enabled is True
    assert entry.questions == ("вопрос",)


def test_broken_yaml_names_the_file_and_line(tmp_path):
    _write(tmp_path, "broken.yaml", _valid_yaml() + "  questions: [unclosed\n")
    with pytest.raises(ContentError, match=r"broken\.yaml:\d+: ") as caught:
        load_entries(tmp_path)
    assert "YAML" in str(caught.value)


def test_invalid_field_names_file_entry_line_and_reason(tmp_path):
    _write(tmp_path, "bad.yaml", _valid_yaml("good_one") + _valid_yaml("bad_one", buttons="[fax]"))
    with pytest.raises(ContentError) as caught:
        load_entries(tmp_path)
    message = str(caught.value)
    assert "bad.yaml" in message and "'bad_one'" in message and "buttons" in message
    assert message.startswith(f"{tmp_path / 'bad.yaml'}:20: ")  # the second entry's buttons


def test_missing_field_and_unknown_field(tmp_path):
    text = _valid_yaml().replace("  reviewed_by: demo\n", "  reviewd_by: demo\n")
    _write(tmp_path, "typo.yaml", text)
    with pytest.raises(ContentError, match=r"typo\.yaml.*'demo_topic'.*reviewed_by"):
        load_entries(tmp_path)


def test_bad_date_and_bad_id(tmp_path):
    _write(tmp_path, "date.yaml", _valid_yaml(updated_at="2026-11-20T10:00:00"))
    with pytest.raises(ContentError, match="updated_at"):
        load_entries(tmp_path)
    (tmp_path / "date.yaml").unlink()
    _write(tmp_path, "id.yaml", _valid_yaml("Bad Id"))
    with pytest.raises(ContentError, match=r"id\.yaml.*'Bad Id'.*id"):
        load_entries(tmp_path)


def test_duplicate_ids_across_files(tmp_path):
    _write(tmp_path, "a.yaml", _valid_yaml("same"))
    _write(tmp_path, "b.yaml", _valid_yaml("same"))
    with pytest.raises(ContentError, match=r"b\.yaml.*'same'.*duplicate.*a\.yaml"):
        load_entries(tmp_path)


def test_numbers_in_lists_are_text(tmp_path):
    _write(tmp_path, "n.yaml", _valid_yaml(keywords="[2026, 152-ФЗ]"))
    [entry] = load_entries(tmp_path)
    assert entry.keywords == ("2026", "152-ФЗ")


def test_file_must_be_a_list(tmp_path):
    _write(tmp_path, "map.yaml", "id: x\n")
    with pytest.raises(ContentError, match=r"map\.yaml.*list"):
        load_entries(tmp_path)


def test_content_error_is_a_value_error():
    assert issubclass(ContentError, ValueError)


def test_missing_folder(tmp_path):
    with pytest.raises(ContentError, match="not found"):
        load_entries(tmp_path / "nope")
