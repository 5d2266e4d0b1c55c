"""The crash happens inside a helper: the problem must name the helper's line."""


def divide(a: int, b: int) -> float:
    return a / b


print("start")
divide(1, 0)
