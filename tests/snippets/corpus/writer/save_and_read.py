import os

with open("result.txt", "w", encoding="utf-8") as f:
    f.write("42\n")
os.makedirs("out", exist_ok=True)
with open("out/log.txt", "w", encoding="utf-8") as f:
    f.write("written\n")
with open("result.txt", encoding="utf-8") as f:
    print("read back:", f.read().strip(), sorted(os.listdir(".")))
