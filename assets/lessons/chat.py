from socket import *
from multiprocessing import Process

server = socket(AF_INET, SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(('127.0.0.1', 0))     # port 0: any free port, loopback only
server.listen(5)

def talk(conn):                   # one process per connection
    while True:
        msg = conn.recv(1024)     # blocks until the client sends
        if not msg:               # b'': the client closed its socket
            break
        conn.send(msg.upper())
    conn.close()

if __name__ == '__main__':
    kids = []
    for i in range(3):            # a real server loops forever
        conn, addr = server.accept()    # blocks until a client connects
        p = Process(target=talk, args=(conn,))
        p.start()                 # the child gets a copy of conn
        conn.close()              # the parent's copy is not needed
        kids.append(p)
    for p in kids:
        p.join()

# client.py: three clients, each a program of its own
def client(n):
    c = socket(AF_INET, SOCK_STREAM)
    c.connect(('127.0.0.1', PORT))      # the server's address
    for msg in ['hello %d' % n, 'bye %d' % n]:
        c.send(msg.encode())
        reply = c.recv(1024)            # b'' if the server side closed
        if not reply:
            break
        print(reply.decode())           # upper-cased by the talk process
    c.close()
