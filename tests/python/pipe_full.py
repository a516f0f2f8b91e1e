# The parent joins its sender before it receives anything: 100 messages of
# 4000 bytes fill the pipe, and the sender's send waits for a reader.
from multiprocessing import Process, Pipe


def sender(a):
    for i in range(100):
        a.send('x' * 4000)


if __name__ == '__main__':
    a, b = Pipe()
    p = Process(target=sender, args=(a,))
    p.start()
    p.join()
    print(len(b.recv()))
