import os
import subprocess
import sys

env = dict(os.environ, PARENT_PREFIX=sys.prefix, PARENT_VERSION=sys.version)
print("parent starts the worker", flush=True)
subprocess.run(["python3", "worker.py", "3"], check=True, env=env)
print("parent done")
