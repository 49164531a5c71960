#!/usr/bin/env python3
"""Wait for BIRD to report an OSPF neighbour Full, over one control-socket connection.

  bird-poll-full.py CTL_SOCKET ROUTER_ID OUT_FILE TIMEOUT_S [INTERVAL_MS]

Sends `show ospf neighbors` every INTERVAL_MS (default 2) on a single connection (no birdc
fork per poll, so BIRD spends a few tens of microseconds per poll). When the line for
ROUTER_ID says Full, writes two lines to OUT_FILE and exits 0:
  T_BEFORE T_AFTER STATE   of the last poll that was not Full
  T_BEFORE T_AFTER STATE   of the first poll that was Full
(CLOCK_REALTIME microseconds: the request was sent at T_BEFORE, the answer read at T_AFTER),
so Full happened after the previous poll was sent and before the Full answer arrived.
Exits 1 on timeout (OUT_FILE then holds the last poll only). Used by scripts/bench/lsdb-sync
instead of BIRD's log: BIRD traces neighbour state changes only together with one line per
installed LSA, which slows a 200,000-LSA synchronisation down measurably.
"""
import socket
import sys
import time


def now_us():
    return time.time_ns() // 1000


def main():
    ctl, rid, out, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    interval = (float(sys.argv[5]) if len(sys.argv) > 5 else 2.0) / 1000
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(ctl)
    buf = b''

    def reply():
        """Lines up to the final 'NNNN ' line (BIRD's reply protocol)."""
        nonlocal buf
        lines = []
        while True:
            while b'\n' not in buf:
                chunk = s.recv(65536)
                if not chunk:
                    raise EOFError
                buf += chunk
            line, buf = buf.split(b'\n', 1)
            lines.append(line.decode(errors='replace'))
            if len(line) >= 5 and line[:4].isdigit() and line[4:5] == b' ':
                return lines

    reply()                                   # "0001 BIRD x.y.z ready."
    deadline = time.monotonic() + timeout
    prev = None
    while time.monotonic() < deadline:
        tb = now_us()
        s.sendall(b'show ospf neighbors\n')
        lines = reply()
        ta = now_us()
        state = '-'
        for line in lines:
            f = line.split()
            if f and f[0].lstrip('0123456789-') == '' and len(f) > 1:
                f = f[1:]                     # first line carries the reply code ("1013-")
            if len(f) >= 3 and f[0] == rid:
                state = f[2]
        if state.startswith('Full'):
            with open(out, 'w') as o:
                if prev:
                    o.write('%d\t%d\t%s\n' % prev)
                o.write('%d\t%d\t%s\n' % (tb, ta, state))
            return 0
        prev = (tb, ta, state)
        time.sleep(interval)
    with open(out, 'w') as o:
        if prev:
            o.write('%d\t%d\t%s\n' % prev)
    return 1


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (OSError, EOFError) as e:
        print(f'bird-poll-full: {e}', file=sys.stderr)
        sys.exit(2)
