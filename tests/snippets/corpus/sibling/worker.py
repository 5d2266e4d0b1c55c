import os
import sys

n = int(sys.argv[1])
same = sys.prefix == os.environ["PARENT_PREFIX"] and sys.version == os.environ["PARENT_VERSION"]
print(f"worker squares {[i * i for i in range(n)]}; same interpreter: {same}")
