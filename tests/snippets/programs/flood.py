# /// kb
# timeout = 20
# ///
"""50 MB on stdout and some on stderr: must be cut, never deadlock."""
import sys

line = b"x" * 1023 + b"\n"
for _ in range(50 * 1024):
    sys.stdout.buffer.write(line)
    if _ % 1024 == 0:
        sys.stderr.write("e" * 1000 + "\n")
sys.stdout.flush()
print("done", file=sys.stderr)
