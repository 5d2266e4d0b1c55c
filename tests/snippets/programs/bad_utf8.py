import sys

sys.stdout.buffer.write("한글 ok ".encode() + b"\xff\xfe end\n")
