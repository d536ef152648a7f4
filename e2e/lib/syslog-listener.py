"""Minimal syslog sink: binds a unix datagram socket and prints each datagram as one line on stdout.

Usage: python3 syslog-listener.py <socket-path>
Prints "ready" once bound. Stops on SIGTERM or when stdin closes.
Node's dgram module has no unix datagram sockets, hence Python (present on every Debian machine).
"""
import os
import signal
import socket
import sys
import threading


def main() -> None:
    path = sys.argv[1]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    def watch_stdin() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        data = sock.recv(65536)
        text = data.decode("utf-8", "replace").rstrip("\x00\n").replace("\n", " ")
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
