"""이 인터프리터가 free-threading과 서브인터프리터에 대해 무엇을 할 수 있는지 보고하고, 되는 것만 돌려 본다.

- free-threaded 빌드 여부: sysconfig의 Py_GIL_DISABLED (3.13+), 실행 중 GIL 상태: sys._is_gil_enabled() (3.13+)
- concurrent.futures.InterpreterPoolExecutor는 3.14에서 생겼다.
- 서브인터프리터는 오래전부터 C API로 있었고, 파이썬에서는 비공개 모듈(_xxsubinterpreters, 3.13 부터는
  _interpreters)로 만질 수 있다. 서브인터프리터마다 sys.modules와 __main__이 따로다.
"""

# /// kb
# [[expect]]
# name = "이 빌드가 free-threaded인지와 실행 중 GIL 상태가 서로 맞다 (기본 빌드라면 GIL이 켜져 있다)"
# pattern = 'build and runtime agree: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "InterpreterPoolExecutor는 3.14+에만 있다"
# pattern = 'InterpreterPoolExecutor present as this version promises: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "서브인터프리터에서 만든 전역 변수는 메인 인터프리터의 __main__에 보이지 않는다"
# pattern = 'subinterpreter global visible in main: (\w+)'
# all = '== "False"'
# ///
import concurrent.futures
import importlib
import os
import sys
import sysconfig
import tempfile

if __name__ == "__main__":
    ft_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    gil_now = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    print(f"python {sys.version.split()[0]}  free-threaded build (Py_GIL_DISABLED)={ft_build}  GIL enabled now={gil_now}")
    # free-threaded 빌드에서도 GIL이 다시 켜질 수 있다 (PYTHON_GIL=1, 지원을 표시하지 않은 C 확장)
    print(f"build and runtime agree: {gil_now if not ft_build else True}")
    has_pool = hasattr(concurrent.futures, "InterpreterPoolExecutor")
    print(f"InterpreterPoolExecutor available={has_pool}")
    print(f"InterpreterPoolExecutor present as this version promises: {has_pool == (sys.version_info >= (3, 14))}")

    mod = None
    for name in ("_interpreters", "_xxsubinterpreters"):
        try:
            mod = importlib.import_module(name)
            break
        except ImportError:
            continue
    if mod is None:
        # 조용히 통과하지 않는다: 검사가 실패하며 '돌려 보지 못했다' 를 알린다
        print("subinterpreter global visible in main: unavailable (서브인터프리터 모듈이 없어 돌려 보지 못했다)")
        sys.exit(0)
    print(f"서브인터프리터 모듈: {mod.__name__} (비공개 API: 버전마다 바뀐다)")
    marker = os.path.join(tempfile.mkdtemp(), "sub.txt")
    interp = mod.create()
    code = (
        "import sys, threading\n"
        "made_in_sub = 42\n"
        f"open({marker!r}, 'w').write(f'{{id(sys.modules)}} {{threading.get_native_id()}}')\n"
    )
    mod.run_string(interp, code)
    mod.destroy(interp)
    sub_modules_id, sub_tid = (int(x) for x in open(marker).read().split())
    main = sys.modules["__main__"]
    print(f"sys.modules 객체: 메인 {id(sys.modules):#x}, 서브 {sub_modules_id:#x} (따로 있다: {sub_modules_id != id(sys.modules)})")
    print(f"같은 OS 스레드에서 돌았다: {sub_tid == __import__('threading').get_native_id()}")
    print(f"subinterpreter global visible in main: {hasattr(main, 'made_in_sub')}")
