# /// kb
# timeout = 2
# ///
"""Starts a long sleep and hangs: the runner must kill both."""
import subprocess
import time

child = subprocess.Popen(["sleep", "1000"])
print(f"sleep pid={child.pid}", flush=True)
time.sleep(1000)
