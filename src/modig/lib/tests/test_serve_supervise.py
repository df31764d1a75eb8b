"""`modig serve`'s supervision of Granian and the task worker (lib/management/commands/serve).

Real processes: a supervisor runs in its own session, as a terminal or a service manager
would start it, and is signalled the way they do (its whole process group, more than once).
"""

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

# A child that writes each signal it gets to a file, takes a moment to stop (as Granian
# finishing its requests does), then exits.
SLOW_TO_STOP = textwrap.dedent("""
    import os, signal, sys, time
    path = sys.argv[1]
    def got(signum, frame):
        with open(path, "a") as f:
            f.write(signal.Signals(signum).name + "\\n")
        time.sleep(0.5)
        sys.exit(0)
    signal.signal(signal.SIGTERM, got)
    signal.signal(signal.SIGINT, got)
    with open(path + ".pid", "w") as f:
        f.write(str(os.getpid()))
    open(path, "a").close()
    while True:
        time.sleep(0.1)
""")

# A child that ignores SIGTERM and has a child of its own (as Granian has its workers).
STUBBORN = textwrap.dedent("""
    import signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    with open(sys.argv[1], "w") as f:
        f.write(str(grandchild.pid))
    while True:
        time.sleep(0.1)
""")

SUPERVISOR = textwrap.dedent("""
    import os, sys
    from modig.lib.management.commands.serve import start_children, supervise
    children = start_children([[sys.executable, "-c", code, path]
                               for code, path in zip(sys.argv[2::2], sys.argv[3::2])],
                              dict(os.environ))
    sys.exit(supervise(children, stop_timeout=float(sys.argv[1])))
""")


def _supervisor(tmp_path, stop_timeout: float, *children: tuple[str, str]) -> subprocess.Popen:
    args = [str(stop_timeout)]
    for code, name in children:
        args += [code, str(tmp_path / name)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen([sys.executable, "-c", SUPERVISOR, *args], env=env,
                            start_new_session=True)


def _wait_for(predicate, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_group_signalled_twice_gives_each_child_one_signal(tmp_path, signum):
    supervisor = _supervisor(tmp_path, 20, (SLOW_TO_STOP, "server"), (SLOW_TO_STOP, "worker"))
    try:
        _wait_for(lambda: (tmp_path / "server").exists() and (tmp_path / "worker").exists())
        # Ctrl+C in a terminal signals the whole foreground group; impatient people press
        # it again while the children are still stopping.
        os.killpg(supervisor.pid, signum)
        time.sleep(0.1)
        os.killpg(supervisor.pid, signum)
        assert supervisor.wait(timeout=20) == 0
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
    for name in ("server", "worker"):
        assert (tmp_path / name).read_text().split() == [signum.name], name


def test_a_child_that_does_not_stop_is_killed_with_its_own_children(tmp_path):
    supervisor = _supervisor(tmp_path, 1, (STUBBORN, "stubborn"), (SLOW_TO_STOP, "worker"))
    try:
        # Both children ready (the worker writes its file once its handlers are set).
        _wait_for(lambda: (tmp_path / "stubborn").exists()
                  and (tmp_path / "stubborn").read_text().strip().isdigit()
                  and (tmp_path / "worker").exists())
        grandchild = int((tmp_path / "stubborn").read_text())
        started = time.monotonic()
        os.kill(supervisor.pid, signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        assert time.monotonic() - started < 10  # one second's grace, then killed
        _wait_for(lambda: not _alive(grandchild), seconds=5)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
    assert (tmp_path / "worker").read_text().split() == ["SIGTERM"]


def test_when_one_child_exits_the_other_is_stopped_and_its_code_returned(tmp_path):
    # Exits once the worker is ready (its signal handlers set), as a server failing to start.
    quits = (f"import os, sys, time\nwhile not os.path.exists({str(tmp_path / 'worker')!r}):"
             "\n    time.sleep(0.05)\nsys.exit(3)")
    supervisor = _supervisor(tmp_path, 20, (quits, "unused"), (SLOW_TO_STOP, "worker"))
    try:
        assert supervisor.wait(timeout=20) == 3
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
    assert (tmp_path / "worker").read_text().split() == ["SIGTERM"]


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_children_stop_when_the_supervisor_itself_is_killed(tmp_path):
    supervisor = _supervisor(tmp_path, 20, (SLOW_TO_STOP, "server"), (SLOW_TO_STOP, "worker"))
    try:
        _wait_for(lambda: (tmp_path / "server").exists() and (tmp_path / "worker").exists())
        os.kill(supervisor.pid, signal.SIGKILL)  # the supervisor alone: it passes nothing on
        supervisor.wait(timeout=10)
        # In process groups of their own, the children are not hit by that kill; the kernel
        # sends each its parent-death signal, SIGTERM, and they stop as they would from it.
        _wait_for(lambda: all((tmp_path / name).read_text().split() == ["SIGTERM"]
                              for name in ("server", "worker")), seconds=20)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        for name in ("server", "worker"):  # should this fail: leave no child behind
            pid_file = tmp_path / f"{name}.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid_file.read_text()), signal.SIGKILL)
