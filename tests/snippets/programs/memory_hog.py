# /// kb
# memory_mb = 200
# ///
block = bytearray(600 * 1024 * 1024)
print("allocated", len(block))
