#!/usr/bin/python3
"""Runs a command on a new pseudo-terminal (its controlling terminal) and answers each password prompt.

  signing_tty.py ANSWER[,ANSWER...] -- COMMAND ARGS...
Waits for "password" in the output before each answer; prints everything the terminal showed on stdout
and exits with the command's exit status.
"""
import os
import pty
import select
import sys
import time

answers = sys.argv[1].split(",")
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
seen = b""
pending = list(answers)
deadline = time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
        if pending and seen.lower().count(b"password") > len(answers) - len(pending):
            os.write(fd, pending.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
