"""socket.socketpair(): 이름 없는 유닉스 도메인 소켓 한 쌍. 네트워크를 쓰지 않고 바이트를 주고받는다.

소켓 객체는 multiprocessing이 파일 디스크립터를 자식에게 넘겨 준다 (fork/spawn/forkserver 모두).
"""

# /// kb
# [[expect]]
# name = "소켓 양 끝의 PID는 서로 다르다"
# pattern = 'side pid=(\d+)'
# distinct = true
# [[expect]]
# name = "부모가 보낸 바이트를 자식이 대문자로 바꿔 돌려준다"
# pattern = 'parent got: (\S+)'
# all = '== "HELLO"'
# ///
import multiprocessing as mp
import os
import socket


def child(sock: socket.socket) -> None:
    data = sock.recv(64)
    sock.sendall(data.upper() + b" " + str(os.getpid()).encode())
    sock.close()


if __name__ == "__main__":
    parent_sock, child_sock = socket.socketpair()  # 리눅스에서는 AF_UNIX
    print(f"family={parent_sock.family.name} type={parent_sock.type.name}")
    p = mp.Process(target=child, args=(child_sock,))
    p.start()
    child_sock.close()  # 부모 쪽 사본은 닫는다
    parent_sock.sendall(b"hello")
    reply, child_pid = parent_sock.recv(64).split()
    p.join()
    parent_sock.close()
    print(f"parent side pid={os.getpid()}")
    print(f"child  side pid={child_pid.decode()}")
    print(f"parent got: {reply.decode()}")
