# A spawn pool used every way a learner might: an initializer, map,
# apply raising an exception, map_async with a callback and an
# error_callback, imap, starmap, and `with` (terminate at its end).
# lockstep: expect no deadlock
import multiprocessing as mp


def sq(x):
    if x == 3:
        raise ValueError('three')
    return x * x


def init(tag):
    print('init', tag)


if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    with ctx.Pool(2, initializer=init, initargs=('w',)) as pool:
        print(pool.map(sq, [0, 1, 2]))
        try:
            pool.apply(sq, (3,))
        except ValueError as e:
            print('error', e)
        ok = pool.map_async(sq, [4, 5], callback=lambda v: print('callback', v))
        bad = pool.map_async(sq, range(5), error_callback=lambda e: print('error_callback', e))
        ok.wait()
        bad.wait()
        print(ok.successful(), bad.successful())
        print(list(pool.imap(sq, (i for i in range(3)))))
        print(pool.starmap(pow, [(2, 3), (3, 2)]))
    print('done')
