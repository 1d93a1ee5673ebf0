"""Runs a command with some of its standard streams on a pseudo-terminal of a given size.

    python3 pty-run.py COLUMNS ROWS STREAMS -- COMMAND [ARG...]

STREAMS is `stdout`, `stderr` or `stdout,stderr`: those are the terminal; the others stay this process's own.
What the command writes to the terminal comes out on the stream it replaced (on stdout when both are the
terminal). Output post-processing is off, so a "\n" stays "\n". Exits with the command's exit code.
Uses only the standard library (Debian's python3 has it), so no native Node addon is needed for tests.
"""
import fcntl
import os
import struct
import subprocess
import sys
import termios


def main() -> int:
    columns, rows, streams = int(sys.argv[1]), int(sys.argv[2]), set(sys.argv[3].split(","))
    command = sys.argv[sys.argv.index("--") + 1 :]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    child = subprocess.Popen(
        command,
        stdout=slave if "stdout" in streams else None,
        stderr=slave if "stderr" in streams else None,
    )
    os.close(slave)
    out = sys.stdout.buffer if "stdout" in streams else sys.stderr.buffer
    while True:
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
