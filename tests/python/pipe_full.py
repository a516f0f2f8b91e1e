# The parent joins its sender before it receives anything: 100 messages of
# 4000 bytes fill the pipe (64 KiB), and the sender's send waits for a
# reader that never comes.
from multiprocessing import Process, Pipe


def sender(w):
    for i in range(100):
        w.send('x' * 4000)


if __name__ == '__main__':
    r, w = Pipe(duplex=False)
    p = Process(target=sender, args=(w,))
    p.start()
    p.join()
    print(len(r.recv()))
