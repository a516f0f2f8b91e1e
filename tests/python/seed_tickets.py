# From the seed post python多进程 (进程锁, 抢票demo 写法一): ten buyers share
# one JSON file, db.txt, in the current folder; the lock makes buying one
# at a time. The post's indentation, lost in its page, is restored; the
# code is unchanged but for the expect line.
# lockstep: expect no deadlock
#模拟抢票软件的原理:
from multiprocessing import Lock,Process
import json,os,time,random

def check():
    #查票功能实现并行访问
    time.sleep(1)
    with open('db.txt','rt',encoding='utf-8') as f:
        dic=json.load(f)
    print('%s 查看余票数为 %s'%(os.getpid(),dic['count']))

def get():
    #购票因为牵涉到对后台数据的修改,所以加互斥锁目的是逐一进行访问修改,以免数据错乱
    with open('db.txt', 'rt',encoding='utf-8') as f:
        dic = json.load(f)
    time.sleep(2)
    if dic['count'] >0:
        #有票
        dic['count']-=1
        time.sleep(random.randint(1, 3))
        #在购票时,模拟网络延迟...
        with open('db.txt', 'wt',encoding='utf-8') as f:
            json.dump(dic,f)
        print('%s 购票成功'%os.getpid())
    else:
        print('%s 没有余票'%os.getpid())

def task(mutex):
    #查看(并行访问)
    check()
    #抢票(加入互斥锁,实现串行访问,先到先得原则)
    mutex.acquire()
    get()
    mutex.release() #第一个购买完成后,解锁,后续进入继续购买


if __name__ == '__main__':
    mutex=Lock() #调用Lock类拿到一个对象
    for i in range(10):
        p=Process(target=task,args=(mutex,))
        p.start()
