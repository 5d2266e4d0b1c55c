# /// kb
# exit = 1
# ///
"""os._exit from a thread ends the whole process: expected on purpose."""
import os
import threading

threading.Thread(target=lambda: os._exit(1)).start()
threading.Event().wait(5)
