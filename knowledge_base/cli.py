"""`priemnaya kb ask | eval | check | export | import | gaps`: the moderators' tools for the
base."""

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from bot.core.cli_support import async_command, cli_app, cli_settings
from bot.core.config import Settings
from bot.core.content import ContentError, Strict, load_model
from bot.core.db import transaction
from knowledge_base.entries import Entry, dump_entries, load_entries
from knowledge_base.evaluation import evaluate, read_rows
from knowledge_base.fitting import fit_base
from knowledge_base.promises import Facts, Passage, check_promises, check_texts
from knowledge_base.search import KnowledgeIndex
from knowledge_base.store import gap_key

TOPICS = Path(__file__).parent / "topics.yaml"
# ctx.meta key of what the assembly hands in: the facts of the bot the settings assemble.
_FACTS = "knowledge_base.facts"
# ...and the other texts the bot shows citizens (the public pages' rules).
_TEXTS = "knowledge_base.texts"
FactsOf = Callable[[Settings], Facts]
TextsOf = Callable[[Settings], list[Passage]]


def use_promise_facts(
    ctx: click.Context, facts_of: FactsOf, texts_of: TextsOf | None = None
) -> None:
    """Called by the assembly's command group: `kb check` then also checks the promises, of
    the base and of `texts_of`."""
    ctx.meta[_FACTS] = facts_of
    ctx.meta[_TEXTS] = texts_of


@click.group("kb")
def kb_group() -> None:
    """Test, check, export and import the knowledge base."""


@kb_group.command()
@click.argument("question", required=False)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"topic_id": ..., "score": ..., "suggestions": [...]} per question.',
)
@async_command
async def ask(question: str | None, as_json: bool) -> None:
    """What the bot answers to QUESTION (or to each line of standard input).

    topic_id is null unless the bot answers; suggestions are the topics it offers as buttons
    instead; score is the decision model's probability that the best topic is right."""
    questions: Iterable[str] = [question] if question is not None else sys.stdin
    async with cli_app() as app, app.sessions() as session:
        snapshot = await app.store.snapshot(session)
        for line in questions:
            text = line.rstrip("\n")
            decision, _ = snapshot.decide(text)
            topic = decision.entry_ids[0] if decision.kind == "answer" else None
            offered = list(decision.entry_ids) if decision.kind == "suggest" else []
            score = decision.confidence
            if as_json:
                line = {"topic_id": topic, "score": score, "suggestions": offered}
                click.echo(json.dumps(line, ensure_ascii=False))
            elif decision.kind == "answer":
                click.echo(f"answer  {topic}  ({score})")
            elif decision.kind == "suggest":
                click.echo(f"suggest {', '.join(offered)}  ({score})")
            elif decision.kind == "chat":
                click.echo(f"small talk: {decision.chat}")
            else:
                click.echo(f"no answer: a person is offered  ({score})")


@kb_group.command("eval")
@click.argument("tsv", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@async_command
async def eval_command(tsv: Path) -> None:
    """How the live base answers the questions of TSV (a header `question<TAB>topic_id`, then
    a question and its topic a line, `-` for one the bot must not answer)."""
    try:
        rows = read_rows(tsv)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(1)
    async with cli_app() as app, app.sessions() as session:
        snapshot = await app.store.snapshot(session)
    result = evaluate(rows, lambda question: snapshot.decide(question)[0])
    answerable = result.answerable
    lines = [
        f"top-1      {result.top1:.3f}  ({result.answered_right}/{answerable} answered right)",
        f"rejection  {result.rejection:.3f}  ({result.rejected}/{result.out_of_scope} out of scope"
        " not answered)",
        f"one tap    {result.one_tap:.3f}  ({result.within_one_tap}/{answerable} answered right"
        " or among the suggestions)",
        f"misses: {len(result.misses)}",
        *(f"  {miss}" for miss in result.misses),
    ]
    click.echo("\n".join(lines))


@kb_group.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--topics",
    type=click.Path(path_type=Path, exists=True),
    default=TOPICS,
    show_default="the shipped topic list",
    help="YAML with `topics: [{id: ...}]`: the ids entries may use.",
)
@click.pass_context
def check(ctx: click.Context, directory: Path, topics: Path) -> None:
    """Find problems in the *.yaml files of DIRECTORY; one line each, exit 1 if any: broken
    entries, misdirected examples, and promises the bot does not keep (a command it lacks, a
    section it does not have, a figure its settings contradict), in the base and in the
    office's rules of its public pages (CONTENT_DIR/tickets/rules.yaml, or the shipped ones)."""
    errors, warnings = check_directory(directory, topics)
    facts_of: FactsOf | None = ctx.meta.get(_FACTS)
    texts_of: TextsOf | None = ctx.meta.get(_TEXTS)
    if facts_of is not None and not errors:
        settings = cli_settings()
        facts = facts_of(settings)
        errors = check_promises(load_entries(directory), facts)
        if texts_of is not None:
            errors += check_texts(texts_of(settings), facts)
    for problem in [*errors, *warnings]:
        click.echo(problem)
    if errors or warnings:
        sys.exit(1)
    click.echo(f"OK: {len(load_entries(directory))} entries")


class Topic(Strict):
    id: str
    title_ru: str


class TopicList(Strict):
    """topics.yaml: the topic ids the knowledge base may use."""

    topics: list[Topic]


def check_directory(directory: Path, topics: Path = TOPICS) -> tuple[list[str], list[str]]:
    """Errors (broken files, duplicate ids, empty answers, unknown topic ids) and warnings
    (example questions the search gives to another entry: the bot would answer them wrongly;
    one question written as an example of two entries, or as an example and a negative)."""
    try:
        entries = load_entries(directory)
    except ContentError as exc:
        return exc.problems, []
    try:
        known = {topic.id for topic in load_model(topics, TopicList).topics}
    except ContentError as exc:
        return exc.problems, []
    problems = []
    for entry in entries:
        if entry.id not in known:
            problems.append(f"{entry.id}: unknown topic id (not in {topics.name})")
        for field in ("answer_ru", "answer_en"):
            if not getattr(entry, field).strip():
                problems.append(f"{entry.id}: {field} is empty")
    return problems, [*_misdirected_questions(entries), *_conflicting_questions(entries)]


def _misdirected_questions(entries: list[Entry]) -> list[str]:
    index = KnowledgeIndex(entries)
    titles = {entry.id: entry.title_ru for entry in entries}
    problems = []
    for entry in entries:
        if not entry.enabled:
            continue
        for question in entry.questions:
            hits = index.search(question, limit=len(entries))
            own = next((hit.score for hit in hits if hit.entry_id == entry.id), None)
            if own is None:
                problems.append(f"{entry.id}: example {question!r} does not match its entry")
            elif own < hits[0].score:  # a tie is ambiguity, not a wrong answer
                other = hits[0].entry_id
                problems.append(
                    f"{entry.id}: example {question!r} is answered by {other} "
                    f"({titles[other]}); add words that set the topics apart"
                )
    return problems


def _conflicting_questions(entries: list[Entry]) -> list[str]:
    """Questions the files answer two ways (case, spacing and punctuation aside)."""
    examples: dict[str, dict[str, str]] = {}  # question -> entry id -> its wording there
    negatives: dict[str, dict[str, None]] = {}  # question -> the entries it is a negative of
    for entry in entries:
        for question in entry.questions:
            examples.setdefault(gap_key(question), {}).setdefault(entry.id, question)
        for question in entry.negatives:
            negatives.setdefault(gap_key(question), {})[entry.id] = None
    problems = []
    for key, owners in examples.items():
        (first, question), *others = owners.items()
        if others:
            problems.append(
                f"{first}: example {question!r} is also an example of "
                f"{', '.join(other for other, _ in others)}; keep it in one entry"
            )
        if key in negatives:
            problems.extend(
                f"{owner}: example {wording!r} is also a negative of "
                f"{', '.join(negatives[key])}; it cannot be both"
                for owner, wording in owners.items()
            )
    return problems


@kb_group.command("export")
@click.argument("directory", type=click.Path(path_type=Path))
@async_command
async def export_command(directory: Path) -> None:
    """Write the live base to *.yaml files in DIRECTORY (one per service)."""
    async with cli_app() as app, app.sessions() as session:
        entries = await app.store.all_entries(session)
    files = dump_entries(entries, directory)
    click.echo(f"Wrote {len(entries)} entries to {len(files)} files in {directory}")


@kb_group.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--by", default="import", show_default=True, help="Name for the history.")
@async_command
async def import_command(directory: Path, by: str) -> None:
    """Publish the entries of DIRECTORY as new versions where they differ from the base."""
    errors, warnings = check_directory(directory)
    for problem in [*errors, *warnings]:
        click.echo(problem, err=True)
    if errors:
        click.echo("Nothing imported: fix the errors above first.", err=True)
        sys.exit(1)
    entries = load_entries(directory)
    async with cli_app() as app, transaction(app.sessions) as session:
        added, changed = await app.store.import_entries(session, entries, by)
    unchanged = len(entries) - added - changed
    click.echo(f"Imported: {added} new, {changed} changed, {unchanged} unchanged")


@kb_group.command()
@click.option("--limit", default=20, show_default=True)
@async_command
async def gaps(limit: int) -> None:
    """Questions the bot could not answer or whose answer did not help, most frequent first."""
    async with cli_app() as app, app.sessions() as session:
        rows = await app.store.gaps(session, limit)
    if not rows:
        click.echo("No unanswered questions yet.")
    for gap in rows:
        click.echo(f"{gap.times:>4}  {gap.question}")


@kb_group.command("fit")
@click.argument("tsv", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="decision.json")
@click.option(
    "--error",
    default=0.08,
    show_default=True,
    help="Share of the out-of-scope questions that may still be answered (estimated on "
    "questions each fold's model did not see); the issue's target is rejection >= 0.90.",
)
@async_command
async def fit_command(tsv: tuple[Path, ...], out: Path, error: float) -> None:
    """Fit the decision model on labelled questions (TSV: question, topic id or "-") against
    the live base and write it to OUT; the bot picks it up without a restart when OUT is the
    base's decision.json."""
    rows = [(row.question, row.topic) for path in tsv for row in read_rows(path)]
    async with cli_app() as app, app.sessions() as session:
        entries = list((await app.store.snapshot(session)).entries.values())
        names = ", ".join(path.name for path in tsv) + f"; out-of-scope error {error}"
        model = fit_base(
            entries, rows, app.store.encoder, out_of_scope_error=error, fitted_on=names
        )
    model.save(out)
    click.echo(
        f"Fitted on {len(rows)} questions: answer at {model.answer_at}, "
        f"offer at {model.suggest_at}; written to {out}"
    )
