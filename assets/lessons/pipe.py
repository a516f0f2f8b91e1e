from multiprocessing import Process, Pipe
import time

def child(conn1, conn2):
    conn2.close()                # our copy of the parent's end: close it, or EOF never comes
    msg = conn1.recv()           # blocks until the parent sends
    conn1.send('got ' + msg)     # duplex: reply on the same end
    total = 0
    while True:
        try:
            x = conn1.recv()     # blocks while nothing is there
        except EOFError:         # every copy of conn2 is closed
            break
        print('child got', x)
        total += x
    print('EOF: the loop is over; total', total)

if __name__ == '__main__':
    conn1, conn2 = Pipe()        # duplex: two connected ends
    p = Process(target=child, args=(conn1, conn2))
    p.start()                    # the child gets copies of both ends
    conn1.close()                # the parent talks through conn2 only
    conn2.send('hello')
    print('parent got', conn2.recv())
    for i in range(1, 6):
        conn2.send(i)
        time.sleep(0.3)
    conn2.close()                # the last copy of conn2: the child sees EOF
    p.join()
