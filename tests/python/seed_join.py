# From the seed post multiprocessing.Process 和 线程 (join): ten processes
# send mail; the main process joins them all before its last line.
# Unchanged but for the expect line.
# lockstep: expect no deadlock
import time
import random
from multiprocessing import Process
def send_mail(a):
   time.sleep(random.random())
   print('发送了一封邮件',a)

if __name__ == '__main__':
   l = []
   for i in range(10):
       p = Process(target=send_mail,args=(i,))
       p.start()
       l.append(p)
   print(l)
   for p in l:p.join()
#     # 阻塞 直到上面的十个进程都结束
   print('5000封邮件已发送完毕')
