import os
import sys

import helper_mod

for key in ("PYTHONHASHSEED", "TZ", "NO_COLOR", "LC_ALL", "COLUMNS", "MPLBACKEND"):
    print(f"{key}={os.environ.get(key)}")
print(f"helper={helper_mod.VALUE}")
print(f"stdin_closed={sys.stdin.read() == ''}")
print(f"main={__name__}")
print(f"cwd={os.getcwd()}")
