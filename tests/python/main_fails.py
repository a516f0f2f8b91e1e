import time
time.sleep(0.01)
print("about to fail")
{}["missing"]
