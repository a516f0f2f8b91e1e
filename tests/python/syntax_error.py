from multiprocessing import Process


def work():
    print("never runs"


if __name__ == "__main__":
    Process(target=work).start()
