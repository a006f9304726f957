"""Handing freed memory back to the operating system after start-up.

Building the retriever and the answerer reads the whole index through Chroma and runs the embedding model on
texts of many lengths; glibc keeps most of what they free in the heap, so a serving worker started about
60 MiB above what it holds. `malloc_trim` returns it. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)


def release_free_memory() -> None:
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to hand back this way
        return
    trim(0)
