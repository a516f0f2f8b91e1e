from multiprocessing import Process, Semaphore
import random, time

def guest(i, seats):
    seats.acquire()                        # take a seat, or wait for one
    print('guest', i, 'enters')
    time.sleep(random.uniform(1, 3))       # stay for 1-3 seconds
    print('guest', i, 'leaves')
    seats.release()                        # give the seat back

if __name__ == '__main__':
    seats = Semaphore(2)                   # a room with two seats
    guests = [Process(target=guest, args=(i, seats)) for i in range(5)]
    for p in guests:
        p.start()
    for p in guests:
        p.join()
