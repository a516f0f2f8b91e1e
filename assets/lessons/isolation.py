from multiprocessing import Process

x = 100                        # a global of the main module

def change():
    global x
    x = 10                     # changes the child's own copy
    print('child: x =', x)

if __name__ == '__main__':
    print('main: x =', x)
    p = Process(target=change)
    p.start()                  # the child gets a copy of the memory
    p.join()                   # wait until the child has ended
    print('main after join: x =', x)   # still 100
