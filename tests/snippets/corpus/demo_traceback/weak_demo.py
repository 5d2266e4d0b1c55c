"""Shows the error a dead weak proxy raises (this script is meant to fail)."""
import gc
import weakref


class Node:
    pass


node = Node()
proxy = weakref.proxy(node)
print("alive:", type(proxy).__name__)
del node
gc.collect()
print(proxy.anything)
