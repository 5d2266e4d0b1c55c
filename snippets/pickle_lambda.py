"""ProcessPoolExecutor에 넘기는 함수와 인자는 pickle로 직렬화되어 다른 프로세스로 간다.

모듈 최상위에 정의한 함수는 '이름'으로 pickle 되므로 잘 가지만, lambda는 이름으로 다시 찾을 수
없어서 PicklingError로 실패한다. 함수 안에 정의한 중첩 함수도 실패하지만, 3.11~3.13 에서는 예외 종류가
AttributeError("Can't pickle local object ...")다 (3.14 부터 PicklingError로 바뀌었다). ThreadPoolExecutor는 같은 프로세스 안이라 pickle이 필요 없어 lambda도 된다.
"""

# /// kb
# [[expect]]
# name = "프로세스 풀에 lambda를 넘기면 pickle 오류가 난다"
# pattern = 'process pool \+ lambda -> (\w+)'
# all = '== "PicklingError"'
# [[expect]]
# name = "프로세스 풀에 중첩 함수를 넘기면 실패한다 (3.11~3.13은 AttributeError, 3.14+는 PicklingError)"
# pattern = 'nested def fails as this version does: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "모듈 최상위 함수는 프로세스 풀에서도 잘 돈다"
# pattern = 'process pool \+ def -> result=(\d+)'
# all = "== 49"
# [[expect]]
# name = "스레드 풀은 lambda도 받는다"
# pattern = 'thread pool \+ lambda -> result=(\d+)'
# all = "== 49"
# ///
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def square(x: int) -> int:
    return x * x


def make_nested():
    def cube(x: int) -> int:  # 이름이 make_nested.<locals>.cube: 모듈에서 다시 찾을 수 없다
        return x * x * x

    return cube


if __name__ == "__main__":
    print(f"pickle.dumps(square) 크기={len(pickle.dumps(square))} bytes (모듈 이름 + 함수 이름만 담긴다)")
    with ProcessPoolExecutor(max_workers=1) as pool:
        print(f"process pool + def -> result={pool.submit(square, 7).result()}")
        future = pool.submit(lambda x: x * x, 7)
        try:
            future.result()
        except Exception as exc:  # 어떤 예외인지 그대로 보여 준다
            print(f"process pool + lambda -> {type(exc).__name__}")
            print(f"  ({type(exc).__module__}.{type(exc).__qualname__}: {exc})")
            assert isinstance(exc, pickle.PicklingError)
        else:
            raise AssertionError("lambda가 pickle 될 리 없다")
        try:
            pool.submit(make_nested(), 3).result()
        except Exception as exc:
            expected = pickle.PicklingError if sys.version_info >= (3, 14) else AttributeError
            print(f"process pool + nested def -> {type(exc).__name__}: {exc}")
            print(f"nested def fails as this version does: {type(exc) is expected}")
        else:
            print("nested def fails as this version does: False (pickle 되어 버렸다)")
    with ThreadPoolExecutor(max_workers=1) as pool:
        print(f"thread pool + lambda -> result={pool.submit(lambda x: x * x, 7).result()}")
