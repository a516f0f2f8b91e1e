# From the seed post 第36篇 (W10_Pipe_Manager数据共享, 多进程中管道异常EOFError):
# the page cuts the program off after its first line; this is the program
# its heading names, written out: the child closes its copy of the sending
# end and reads until EOFError, which comes once the main process has
# closed its own copy too.
# lockstep: expect no deadlock
from multiprocessing import Pipe, Process

def func(conn1, conn2):
    conn2.close()
    while True:
        try:
            msg = conn1.recv()
            print(msg)
        except EOFError:
            conn1.close()
            print('EOFError')
            break

if __name__ == '__main__':
    conn1, conn2 = Pipe()
    Process(target=func, args=(conn1, conn2)).start()
    conn1.close()
    for i in range(3):
        conn2.send('吃了么')
    conn2.close()
