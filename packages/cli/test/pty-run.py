"""Runs a command with some of its standard streams on a pseudo-terminal of a given size.

    python3 pty-run.py COLUMNS ROWS STREAMS -- COMMAND [ARG...]

STREAMS names the streams that are the terminal, comma-separated: `stdout`, `stderr`, `stdin`; the others stay
this process's own. What the command writes to the terminal comes out on the stream it replaced (on stdout when
both are the terminal). With `stdin`, the command gets the terminal as its controlling terminal and what this
process reads on its stdin is typed on the terminal's keyboard: `\\x03` is a real Ctrl-C (the terminal sends
SIGINT). Output post-processing is off, so a "\\n" stays "\\n". Exits with the command's exit code.
Uses only the standard library (Debian's python3 has it), so no native Node addon is needed for tests.
"""
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios


def take_terminal() -> None:
    # In the child, after setsid: its stdin (the terminal) becomes its controlling terminal, so Ctrl-C signals it.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def main() -> int:
    columns, rows, streams = int(sys.argv[1]), int(sys.argv[2]), set(sys.argv[3].split(","))
    command = sys.argv[sys.argv.index("--") + 1 :]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    keyboard = "stdin" in streams
    child = subprocess.Popen(
        command,
        stdin=slave if keyboard else None,
        stdout=slave if "stdout" in streams else None,
        stderr=slave if "stderr" in streams else None,
        start_new_session=keyboard,
        preexec_fn=take_terminal if keyboard else None,
    )
    os.close(slave)
    out = sys.stdout.buffer if "stdout" in streams or "stderr" not in streams else sys.stderr.buffer
    watched = [master, sys.stdin.fileno()] if keyboard else [master]
    while True:
        ready, _, _ = select.select(watched, [], [])
        if master not in ready:
            typed = os.read(sys.stdin.fileno(), 65536)
            if typed:
                os.write(master, typed)
            else:
                watched = [master]  # our stdin ended: nothing more to type
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every copy of the terminal's other end is closed
            break
        if not chunk:
            break
        out.write(chunk)
        out.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
