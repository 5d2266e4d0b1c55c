"""multiprocessing.Pipe: 두 프로세스를 잇는 양방향 통로. 양쪽 끝에서 자기 PID를 알린다."""

# /// kb
# [[expect]]
# name = "파이프 양 끝의 PID는 서로 다르다"
# pattern = 'end pid=(\d+)'
# distinct = true
# [[expect]]
# name = "자식이 보낸 답을 부모가 받는다"
# pattern = 'parent got reply: (\w+)'
# all = '== "pong"'
# ///
import multiprocessing as mp
import os


def child(conn) -> None:
    msg = conn.recv()  # 부모가 보낸 객체 (pickle 되어 건너온다)
    conn.send({"reply": "pong" if msg["text"] == "ping" else "?", "pid": os.getpid()})
    conn.close()


if __name__ == "__main__":
    parent_end, child_end = mp.Pipe()  # 기본은 양방향(duplex)
    p = mp.Process(target=child, args=(child_end,))
    p.start()
    parent_end.send({"text": "ping", "pid": os.getpid()})
    answer = parent_end.recv()
    p.join()
    print(f"parent end pid={os.getpid()}")
    print(f"child  end pid={answer['pid']}")
    print(f"parent got reply: {answer['reply']}")
