"""Small helpers shared by every stage: the one bounded LRU cache of the package, and a count
with its noun in agreement."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


def _one(_: object) -> int:
    return 1


class LRUCache(Generic[T]):
    """A bounded, thread-safe least-recently-used cache. ``capacity`` bounds the sum of the
    entries' weights: by default each entry weighs 1 (a count of entries); the server's page
    cache weighs its entries by their length in bytes. The newest entry is always kept, even
    when it alone weighs more than the capacity."""

    def __init__(self, capacity: int, weigh: Callable[[T], int] = _one) -> None:
        self.capacity = capacity
        self._weigh = weigh
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        """The value under ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= self._weigh(old)
            self._items[key] = value
            self._weight += self._weigh(value)
            while self._weight > self.capacity and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._weight -= self._weigh(dropped)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computed and kept when missing."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)


def plural(count: int, word: str, words: str | None = None) -> str:
    """A count with its noun in agreement: "1 article", "2 articles", "0 articles" (``words``
    for a plural that is not ``word`` + "s": "1 story", "3 stories")."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
