# A sender fills the pipe faster than the receiver reads: 60 messages of
# 4000 bytes; the send that finds the pipe full waits for the receiver.
# lockstep: expect no deadlock
from multiprocessing import Process, Pipe


def sender(a):
    for i in range(60):
        a.send(str(i) * 2000)
    a.send(None)


if __name__ == '__main__':
    a, b = Pipe()
    p = Process(target=sender, args=(a,))
    p.start()
    got = 0
    while b.recv() is not None:
        got += 1
    p.join()
    print('received', got)
