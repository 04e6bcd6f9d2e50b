"""Merging a language's area modules into one catalog."""

from __future__ import annotations

from types import ModuleType


def merge(*modules: ModuleType) -> dict[str, str]:
    """The union of the modules' ``MESSAGES``; a key defined in two modules raises ``ValueError``."""
    merged: dict[str, str] = {}
    for module in modules:
        messages: dict[str, str] = module.MESSAGES
        twice = merged.keys() & messages.keys()
        if twice:
            raise ValueError(f"{module.__name__} redefines {sorted(twice)}")
        merged.update(messages)
    return merged
