print("<script>alert('x')</script> & done")
print("\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[0m\x1b[2K\x1b]0;title\x07")
print("\x1b[38;5;196mxterm\x1b[0m")
