from multiprocessing import Process, current_process

def grandchild():
    print('a grandchild runs')

def helper():
    me = current_process()
    print(me.name, 'daemon', me.daemon, 'starts a child')
    g = Process(target=grandchild)
    g.start()              # in a daemon: AssertionError, exit code 1
    g.join()
    print(me.name, 'joined its child')

if __name__ == '__main__':
    d = Process(target=helper, name='d', daemon=True)
    p = Process(target=helper, name='p')
    d.start()
    p.start()
    d.join()
    p.join()
    print('exit codes: d', d.exitcode, 'p', p.exitcode)
