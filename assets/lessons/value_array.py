from multiprocessing import Process, Value, Array

def work(v, a, i):
    with v.get_lock():         # the lock every Value comes with (v_lock)
        v.value += 1           # read, add one, write back
        a[i] = v.value         # slot i is this worker's alone
    print('worker', i, 'wrote', a[i])

if __name__ == '__main__':
    v = Value('i', 0)          # one int in shared memory
    a = Array('i', 2)          # two ints in shared memory, all 0
    ps = [Process(target=work, args=(v, a, i)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('v.value =', v.value, 'a[:] =', a[:])
