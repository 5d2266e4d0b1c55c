"""A child starts a grandchild; both print into the inherited pipes."""
import subprocess
import sys

code = (
    "import subprocess, sys\n"
    "print('child says hi', flush=True)\n"
    "subprocess.run([sys.executable, '-c', \"print('grandchild says hi')\"])\n"
)
subprocess.run([sys.executable, "-c", code], check=True)
print("grandchild on stderr too", file=sys.stderr)
