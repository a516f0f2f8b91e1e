# From the seed post 第36篇 多进程的数据共享 (cnblogs, cavalier-chen): the
# Manager dict counter, without the lock (the post: two processes may both
# read 99). Unchanged but for the expect line.
# lockstep: expect dic['count'] == 80
from multiprocessing import  Manager,Process,Lock
def work(dic,lock):
    dic['count'] -= 1
if __name__ == '__main__':
    lock = Lock()
    m = Manager()
    dic = m.dict({'count':100})#Manager类中的dic()方法,传入参数将字典设置成共享数据
    p_list = []
    for i in range(20):
        p = Process(target=work,args=(dic,lock))
        p_list.append(p)
        p.start()
    for p in p_list:
        p.join()
    print(dic)
