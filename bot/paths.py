"""Where the bundled guidance and prompts live, from a checkout or from an installed wheel."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    # A checkout keeps knowledge/ and prompts/ beside bot/; a wheel carries them in bot/_data/.
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Cannot find the bundled '{name}' directory; reinstall the package.")


def knowledge_dir() -> Path:
    return _resource_dir("knowledge")


def prompts_dir() -> Path:
    return _resource_dir("prompts")


def evals_dir() -> Path:
    return _resource_dir("evals")
