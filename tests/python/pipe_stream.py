# A sender fills a one-way pipe (64 KiB) faster than the receiver reads:
# 60 messages of 4000 bytes; the send that finds the pipe full waits for
# the receiver.
# lockstep: expect no deadlock
from multiprocessing import Process, Pipe


def sender(w):
    for i in range(60):
        w.send(str(i % 10) * 4000)
    w.send(None)


if __name__ == '__main__':
    r, w = Pipe(duplex=False)
    p = Process(target=sender, args=(w,))
    p.start()
    got = 0
    while r.recv() is not None:
        got += 1
    p.join()
    print('received', got)
