from multiprocessing import Process
import os, random, time

def sleeper(seconds):
    print('sleeping', seconds, 's, pid', os.getpid())
    time.sleep(seconds)
    print('slept', seconds, 's')

def send_mail(i):
    time.sleep(random.uniform(0.1, 0.6))   # writing takes a while
    print('mail', i, 'sent')

if __name__ == '__main__':
    print('main, pid', os.getpid())
    start = time.time()
    a = Process(target=sleeper, args=(3,)); a.start()
    b = Process(target=sleeper, args=(1,)); b.start()
    c = Process(target=sleeper, args=(2,)); c.start()
    a.join()                  # wait for the 3 s sleeper
    b.join()                  # long done: returns at once
    c.join()
    took = round((time.time() - start) * 1000)
    print('all three joined after', took, 'ms (the sleeps add up to 6000 ms)')  # about 3000, not 6000

    senders = []
    for i in range(10):
        p = Process(target=send_mail, args=(i,))
        p.start()
        senders.append(p)
    for p in senders:
        p.join()              # block until this sender has ended
    print('all mail sent')    # only after every join returned
