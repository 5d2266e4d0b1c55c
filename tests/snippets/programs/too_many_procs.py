# /// kb
# max_procs = 5
# timeout = 10
# ///
import subprocess
import time

children = [subprocess.Popen(["sleep", "30"]) for _ in range(12)]
print("started", len(children), flush=True)
time.sleep(30)
