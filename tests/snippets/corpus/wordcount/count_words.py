"""Count words in the data files that ship with this script."""
from collections import Counter
from pathlib import Path

counts = Counter()
with open("words.txt", encoding="utf-8") as f:
    for line in f:
        counts.update(line.split())
for path in sorted(Path("data").glob("*.txt")):
    counts.update(path.read_text(encoding="utf-8").split())
for word, n in counts.most_common():
    print(f"{word:10} {n}")
