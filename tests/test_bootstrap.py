"""The EMR bootstrap action, run for real against a local S3 server.

A moto S3 server on 127.0.0.1 stands in for S3; the built wheel is uploaded
to it and bootstrap/install-barrow.sh installs it into fresh virtualenvs.
The virtualenvs see the test environment's third-party packages through a
.pth file and pip runs with --no-index, so nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bootstrap" / "install-barrow.sh"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("moto_server", path=str(BIN)) is None, reason="moto[server] not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3():
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Wait for the server's own "Running on" line rather than sleeping.
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        if not sel.select(timeout=deadline - time.monotonic()):
            break
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if "Running on" in line:
            break
    else:
        proc.kill()
        pytest.fail("moto server did not start: " + "".join(seen))
    endpoint = f"http://127.0.0.1:{port}"
    yield endpoint
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def env(s3):
    e = dict(os.environ)
    e.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        PIP_NO_INDEX="1",
        PATH=f"{BIN}{os.pathsep}{e.get('PATH', '')}",
    )
    e.pop("VIRTUAL_ENV", None)
    return e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, s3, env):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [str(BIN / "maturin"), "build", "--release", "--quiet", "--out", str(out)],
        cwd=ROOT,
        check=True,
        env=env,
    )
    (path,) = out.glob("barrow-*.whl")
    bucket_key = f"s3://barrow-artifacts/wheels/{path.name}"
    subprocess.run([str(BIN / "aws"), "--endpoint-url", s3, "s3", "mb", "s3://barrow-artifacts"], check=True, env=env)
    subprocess.run([str(BIN / "aws"), "--endpoint-url", s3, "s3", "cp", str(path), bucket_key], check=True, env=env)
    return path, bucket_key, hashlib.sha256(path.read_bytes()).hexdigest()


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(path)
    py = path / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party packages (numpy, pyarrow, pandas) come from the test
    # environment; barrow itself must come from the bootstrap action.
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test-deps.pth").write_text("\n".join(deps) + "\n")
    return py


def _install(s3, env, uri, python, *extra):
    return subprocess.run(
        ["bash", str(SCRIPT), "--wheel", uri, "--python", str(python), "--endpoint-url", s3, *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _barrow_location(python, env):
    return subprocess.run(
        [
            str(python),
            "-c",
            "import barrow, barrow.talib as t, numpy as np; t.SMA(np.ones(5), 2); print(barrow.__file__)",
        ],
        capture_output=True,
        text=True,
        env=env,
    )


def test_installs_from_s3_with_checksum_and_is_idempotent(tmp_path, s3, env, wheel):
    _, uri, sha = wheel
    py = _fresh_venv(tmp_path / "node")
    before = _barrow_location(py, env)
    assert before.returncode != 0, "barrow must not be importable before the bootstrap action"
    for _ in range(2):
        r = _install(s3, env, uri, py, "--sha256", sha)
        assert r.returncode == 0, r.stderr + r.stdout
        assert "sha256 verified" in r.stdout and "ready" in r.stdout
    loc = _barrow_location(py, env)
    assert loc.returncode == 0, loc.stderr
    assert loc.stdout.strip().startswith(str(tmp_path / "node")), loc.stdout


def test_wrong_checksum_fails_and_installs_nothing(tmp_path, s3, env, wheel):
    _, uri, sha = wheel
    py = _fresh_venv(tmp_path / "node")
    wrong = ("0" if sha[0] != "0" else "1") + sha[1:]
    r = _install(s3, env, uri, py, "--sha256", wrong)
    assert r.returncode != 0
    assert "checksum mismatch" in r.stderr and "nothing was installed" in r.stderr
    assert _barrow_location(py, env).returncode != 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--wheel", "s3://barrow-artifacts/wheels/missing.whl"], "could not copy"),
        (["--wheel", "https://example.invalid/x.whl"], "must be an s3:// URI"),
        (["--wheel", "s3://b/x.whl", "--sha256", "xyz"], "64 hexadecimal"),
        ([], "--wheel"),
        (["--bogus"], "unknown argument"),
    ],
)
def test_bad_arguments_fail_clearly(tmp_path, s3, env, args, needle):
    r = subprocess.run(
        ["bash", str(SCRIPT), "--endpoint-url", s3, "--python", sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode != 0 and needle in r.stderr, r.stderr
