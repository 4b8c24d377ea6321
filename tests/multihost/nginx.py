"""Debian's nginx as the load balancer in front of the hosts: own config, pid and logs under a tmp dir."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

NGINX = "/usr/sbin/nginx"

CONFIG = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
user root;  # the test runs as root; its temp dirs are private to root
events {{ worker_connections 64; }}
http {{
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {dir}/access.log upstream;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream hosts {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://hosts;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


def available() -> str | None:
    """Why nginx cannot be used here, or None."""
    if not Path(NGINX).exists() and shutil.which("nginx") is None:
        return f"nginx is not installed ({NGINX}); `sh scripts/ensure_nginx.sh` installs Debian's"
    return None


def access_log(directory: Path) -> list[dict]:
    """nginx's log lines as dicts: method, path, status and the upstream that answered."""
    rows = []
    for line in (directory / "access.log").read_text().splitlines():
        method, path, status, upstream = line.split(" ", 3)
        rows.append({"method": method, "path": path, "status": int(status), "upstream": upstream})
    return rows


@contextmanager
def load_balancer(directory: Path, port: int, upstreams: list[str]) -> Iterator[str]:
    """Run nginx round robin over `host:port` upstreams; yields its base URL."""
    directory.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server {u};" for u in upstreams)
    conf = directory / "nginx.conf"
    conf.write_text(CONFIG.format(dir=directory, port=port, servers=servers))
    binary = NGINX if Path(NGINX).exists() else shutil.which("nginx")
    log = open(directory / "stderr.log", "wb")
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(directory)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_listening(proc, port, directory)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_listening(proc: subprocess.Popen, port: int, directory: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited: {(directory / 'stderr.log').read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening within 10 s")
