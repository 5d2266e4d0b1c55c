import subprocess
import sys

code = "import time; time.sleep(1.5); print('child: printed after the parent exited')"
subprocess.Popen([sys.executable, "-c", code])
print("parent: exiting now")
