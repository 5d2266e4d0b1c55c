# /// kb
# timeout = 20
# [[expect]]
# name = "fork workers are other processes"
# pattern = 'fork worker pid=(\d+)'
# any = "> 0"
# [[expect]]
# name = "spawn workers are other processes"
# pattern = 'spawn worker pid=(\d+)'
# any = "> 0"
# [[expect]]
# name = "forkserver workers are other processes"
# pattern = 'forkserver worker pid=(\d+)'
# any = "> 0"
# ///
"""ProcessPoolExecutor under every start method; workers print themselves."""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def work(tag: str) -> int:
    print(f"{tag} worker pid={os.getpid()}", flush=True)
    return os.getpid()


if __name__ == "__main__":
    print(f"parent pid={os.getpid()}", flush=True)
    for method in ("fork", "spawn", "forkserver"):
        ctx = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
            pids = list(pool.map(work, [method] * 4))
        print(f"{method} returned {sorted(set(pids))}", flush=True)
