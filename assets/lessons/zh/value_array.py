from multiprocessing import Process, Value, Array

def work(v, a, i):
    with v.get_lock():         # 每个 Value 自带的锁（v_lock）
        v.value += 1           # 读出、加一、写回
        a[i] = v.value         # 第 i 格只属于这个工作进程
    print('工作进程', i, '写入', a[i])

if __name__ == '__main__':
    v = Value('i', 0)          # 共享内存里的一个整数
    a = Array('i', 2)          # 共享内存里的两个整数，都是 0
    ps = [Process(target=work, args=(v, a, i)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print('v.value =', v.value, 'a[:] =', a[:])
