# The main program raises: its traceback is shown under P1.
import time
time.sleep(0.01)
print("about to fail")
{}["missing"]
