from multiprocessing import Process, Lock
import json, os, random, time

def load():
    with open('db.json') as f:
        return json.load(f)['count']

def buyer(mutex):
    time.sleep(1)                          # 查票：所有买家同时来看
    left = load()
    print(os.getpid(), '查到还剩', left, '张票')
    mutex.acquire()                        # 买票：从这里起一次只有一个买家
    count = load()
    time.sleep(2)                          # 网络延迟，之后才有回应
    if count > 0:
        count -= 1
        time.sleep(random.uniform(1, 3))   # 订座要花点时间
        with open('db.json', 'w') as f:
            json.dump({'count': count}, f)  # 把新的票数写回去
        print(os.getpid(), '买到了一张票')
    else:
        print(os.getpid(), '票已售罄')
    mutex.release()                        # 让下一个买家进来
    # buyer() 返回：进程结束（退出码 0）
if __name__ == '__main__':
    with open('db.json', 'w') as f:
        json.dump({'count': 1}, f)         # 只剩一张票
    mutex = Lock()
    for _ in range(10):
        Process(target=buyer, args=(mutex,)).start()
