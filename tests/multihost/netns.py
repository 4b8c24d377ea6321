"""Network namespaces standing in for separate machines: one veth pair each to the root namespace.

Host i gets the /30 subnet 10.231.<net>.<4i>: the root side is .4i+1, the namespace side .4i+2,
and the namespace's default route goes through the root side. A server in the root namespace
bound to any root-side address is reachable from every namespace (Linux delivers packets for
any local address, whichever link they came in on). Names carry a random tag, so runs on one
machine never collide; `private_network` removes everything it made, also when a test fails.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

NET_PREFIX = "10.231"


@dataclass(frozen=True)
class Host:
    name: str        # the network namespace
    address: str     # the host's own address, inside its namespace
    gateway: str     # the root namespace's end of its link


def available() -> str | None:
    """Why namespaces cannot be made here, or None when they can."""

    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "`ip` (iproute2) is not installed"
    probe = f"mhprobe{secrets.token_hex(3)}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


@contextmanager
def private_network(names: list[str]) -> Iterator[list[Host]]:
    """One namespace per name, linked to the root namespace; all removed afterwards."""
    tag = secrets.token_hex(3)
    net = _free_net()
    made: list[tuple[str, str]] = []  # (namespace, root-side link)
    try:
        hosts = []
        for i, name in enumerate(names):
            ns, link = f"mh{tag}-{name}", f"mh{tag}{i}"
            made.append((ns, link))
            hosts.append(_link_host(ns, link, net, i))
        yield hosts
    finally:
        for ns, link in made:
            # Deleting the namespace deletes its end of the pair and with it the root end.
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            subprocess.run(["ip", "link", "del", link], capture_output=True)


def in_namespace(host: Host, command: list[str]) -> list[str]:
    return ["ip", "netns", "exec", host.name, *command]


def _link_host(ns: str, link: str, net: int, i: int) -> Host:
    gateway, address = f"{NET_PREFIX}.{net}.{4 * i + 1}", f"{NET_PREFIX}.{net}.{4 * i + 2}"
    peer = f"{link}p"
    for command in (
        ["ip", "netns", "add", ns],
        ["ip", "link", "add", link, "type", "veth", "peer", "name", peer],
        ["ip", "link", "set", peer, "netns", ns],
        ["ip", "addr", "add", f"{gateway}/30", "dev", link],
        ["ip", "link", "set", link, "up"],
        ["ip", "-n", ns, "addr", "add", f"{address}/30", "dev", peer],
        ["ip", "-n", ns, "link", "set", peer, "up"],
        ["ip", "-n", ns, "link", "set", "lo", "up"],
        ["ip", "-n", ns, "route", "add", "default", "via", gateway],
    ):
        subprocess.run(command, check=True, capture_output=True, text=True)
    return Host(ns, address, gateway)


def _free_net() -> int:
    """A third octet no address on this machine uses yet (parallel runs pick different ones)."""
    shown = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True).stdout
    used = {int(ipaddress.ip_interface(word).network.network_address.packed[2])
            for word in shown.split() if word.startswith(f"{NET_PREFIX}.")}
    free = [n for n in range(256) if n not in used]
    return free[secrets.randbelow(len(free))]
