import signal
import time

signal.alarm(1)
print("waiting for the alarm", flush=True)
time.sleep(10)
print("never printed")
