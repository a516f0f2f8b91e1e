from multiprocessing import Process, Pipe
import time

def child(conn1, conn2):
    conn2.close()                # 父进程那一端在我们这里的副本：关掉它，否则永远等不到 EOF
    msg = conn1.recv()           # 阻塞，直到父进程发来
    conn1.send('收到 ' + msg)     # 双工：在同一端回复
    total = 0
    while True:
        try:
            x = conn1.recv()     # 没有数据就阻塞
        except EOFError:         # conn2 的每一份副本都关掉了
            break
        print('子进程收到', x)
        total += x
    print('EOF：循环结束；总和', total)

if __name__ == '__main__':
    conn1, conn2 = Pipe()        # 双工：两个相连的端
    p = Process(target=child, args=(conn1, conn2))
    p.start()                    # 子进程得到两端的副本
    conn1.close()                # 父进程只用 conn2 说话
    conn2.send('你好')
    print('父进程收到', conn2.recv())
    for i in range(1, 6):
        conn2.send(i)
        time.sleep(0.3)
    conn2.close()                # conn2 的最后一份副本：子进程看到 EOF
    p.join()
