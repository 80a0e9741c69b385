"""The stages an application goes through, as content the office keeps (demo/stages.yaml):
an id (kept in rows and ratings), a title, what the person is told on reaching it, whether it
is a decision (final) or a detour that "next" passes by (optional), and whether staff must add
a note (what is missing; why a refusal and what to do instead)."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from bot.core.content import Loc, Strict, Text, load_model

SHIPPED = Path(__file__).parent / "demo"
FILE = "stages.yaml"
# Ids go into button codes and stage ratings ("application.<id>"): short and plain.
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,15}$")]


class Stage(Strict):
    id: Key
    title: Text
    notice: Text
    final: bool = False
    optional: bool = False
    needs_note: bool = False


class StageFile(Strict):
    stages: tuple[Stage, ...] = Field(min_length=2)


def _problems(content: StageFile) -> Iterator[tuple[Loc, str]]:
    seen: set[str] = set()
    for index, stage in enumerate(content.stages):
        if stage.id in seen:
            yield ("stages", index, "id"), f"stage {stage.id!r} is listed twice"
        seen.add(stage.id)
    if content.stages[0].final:
        yield ("stages", 0, "final"), "the first stage (where an application starts) is final"
    if all(not stage.final for stage in content.stages):
        yield ("stages",), "no stage is a decision (final: true)"


@dataclass(frozen=True)
class Stages:
    """The stage list in its order; the first is where a new application starts."""

    stages: tuple[Stage, ...]

    @property
    def first(self) -> Stage:
        return self.stages[0]

    def get(self, stage_id: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def find(self, name: str) -> Stage | None:
        """A stage by its id or its title in either language, as staff or a CSV name it."""
        wanted = name.strip().casefold().replace("ё", "е")
        for stage in self.stages:
            names = [stage.id, *stage.title.names()]
            if wanted in (n.casefold().replace("ё", "е") for n in names):
                return stage
        return None

    def after(self, stage_id: str) -> Stage | None:
        """The next stage that is neither a decision nor a detour, or None: those are named."""
        ids = [stage.id for stage in self.stages]
        later = self.stages[ids.index(stage_id) + 1 :] if stage_id in ids else ()
        return next((stage for stage in later if not (stage.final or stage.optional)), None)


def load_stages(directory: Path) -> Stages:
    """The stage list of `directory`; ContentError with file:line for each problem."""
    content = load_model(directory / FILE, StageFile, checks=_problems)
    return Stages(content.stages)
