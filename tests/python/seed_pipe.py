# From the seed post python之管道, 事件, 信号量, 进程池 (管道): the main
# process sends, the child receives. Unchanged but for the expect line.
# lockstep: expect no deadlock
from  multiprocessing import Process, Pipe

def f1(conn):
    from_zjc_msg = conn.recv()
    print('我是子进程')
    print('来自主进程的消息:', from_zjc_msg)

if __name__ == '__main__':
    conn1, conn2 = Pipe() # 创建一个管道对象, 全双工, 返回管道的两端, 但是一端发送的消息,只能另一端接受;自己这一端无法接收
    # 可以将一端或两端发送给其他的进程, 那么多个进程之间就这一通过这一管道进行通信
    p1 = Process(target=f1, args=(conn2, ))
    p1.start()
    conn1.send('有点困了')

    print('我是主进程')
