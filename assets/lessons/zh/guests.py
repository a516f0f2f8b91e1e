from multiprocessing import Process, Semaphore
import random, time

def guest(i, seats):
    seats.acquire()                        # 占一个座位，没有就等
    print(i, '号嘉宾进去了')
    time.sleep(random.uniform(1, 3))       # 待 1 到 3 秒
    print(i, '号嘉宾出来了')
    seats.release()                        # 把座位还回去

if __name__ == '__main__':
    seats = Semaphore(2)                   # 一个有两个座位的房间
    guests = [Process(target=guest, args=(i, seats)) for i in range(5)]
    for p in guests:
        p.start()
    for p in guests:
        p.join()
