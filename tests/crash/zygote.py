"""Fork one real command-line run per request, with every module already imported.

Starting `python main.py` costs about 2.5 s of imports on a small machine, which
would make 1,000 crash points take an hour and put most random kills inside the
interpreter's start-up, where nothing is written. This process imports the
command line once (it opens no workspace, so it holds no database or lock), then
for each request forks a child that runs `main.main(argv)` exactly as `python
main.py ARGV...` would, with its own environment and output file. The harness
SIGKILLs the child by its pid: a real process death, no `finally`, no flush.

Protocol, one JSON object per line: the harness writes
`{"argv": [...], "env": {...}, "cwd": "...", "log": "..."}`; this process
answers `{"pid": N}` as soon as the child exists, then `{"status": S}` when it
ended (the exit code, or minus the signal number).
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _child(request: dict[str, object]) -> int:
    """Run one command as main.py would; never returns to the request loop."""
    import main as entry

    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})
    os.chdir(str(request["cwd"]))
    log = os.open(str(request["log"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    try:
        return int(entry.main([str(a) for a in request["argv"]]))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 99


def main() -> None:
    from app.cli import build_parser
    from db.schema import known_revisions

    build_parser()  # imports every command module, as each run would
    known_revisions()  # and the migrations' list, read at each unlock: kills land in the work, not in imports
    out = sys.stdout
    while line := sys.stdin.readline():
        request = json.loads(line)
        out.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 99
            try:
                code = _child(request)
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
