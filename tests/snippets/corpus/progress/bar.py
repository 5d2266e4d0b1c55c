import sys
import time

print()
for pct in range(0, 101, 25):
    sys.stdout.write(f"\rprogress {pct:3d}%")
    sys.stdout.flush()
    time.sleep(0.01)
print("\ndone with trailing spaces   ")
print("progress on stderr\r100%", file=sys.stderr)
