"""Who is at the keyboard: the CLI acts on anyone named by `--user`, so its actions are audited as the operator.

The `coach` command is for operators with access to the database; a person's own actions come through Slack.
"""

from __future__ import annotations

import getpass
import os

MAX_ACTOR_CHARS = 200  # the audit log's actor column


def operator_id() -> str:
    """"operator:<account>" for the OS account this process runs as.

    The account comes from the process's user id, which an environment variable cannot change (getpass alone
    reads $USER first); behind sudo, the account that ran sudo is named too.
    """
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no passwd entry for this uid (some containers), or not a POSIX system
        try:
            name = getpass.getuser()
        except OSError:
            name = f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    sudo = os.environ.get("SUDO_USER")
    if sudo and sudo != name:
        name += f" (sudo by {sudo})"
    return f"operator:{name}"[:MAX_ACTOR_CHARS]
