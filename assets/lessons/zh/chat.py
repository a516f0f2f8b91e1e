from socket import *
from multiprocessing import Process

server = socket(AF_INET, SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(('127.0.0.1', 0))     # 端口 0：任选一个空闲端口，只在本机回环地址上
server.listen(5)

def talk(conn):                   # 每个连接一个进程
    while True:
        msg = conn.recv(1024)     # 阻塞，直到客户端发来数据
        if not msg:               # b''：客户端关闭了它的套接字
            break
        conn.send(msg.upper())
    conn.close()

if __name__ == '__main__':
    kids = []
    for i in range(3):            # 真正的服务器会永远循环
        conn, addr = server.accept()    # 阻塞，直到有客户端连上
        p = Process(target=talk, args=(conn,))
        p.start()                 # 子进程得到 conn 的一份副本
        conn.close()              # 父进程用不着自己这份了
        kids.append(p)
    for p in kids:
        p.join()

# client.py：三个客户端，各是一个独立的程序
def client(n):
    c = socket(AF_INET, SOCK_STREAM)
    c.connect(('127.0.0.1', PORT))      # 服务器的地址
    for msg in ['hello %d' % n, 'bye %d' % n]:
        c.send(msg.encode())
        reply = c.recv(1024)            # 服务器那边关闭了就是 b''
        if not reply:
            break
        print(reply.decode())           # 已被 talk 进程转成大写
    c.close()
