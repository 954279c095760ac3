#!/usr/bin/env python3
"""A TCP proxy that delays every byte by DELAY_MS in each direction (2 x DELAY_MS of round-trip time).

    python3 bench/delayproxy.py LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS

Listens on 127.0.0.1. Order is kept: each direction is a queue of (due time, bytes) drained by one timer.
Bandwidth is not limited; only latency is added, like a fast WAN link.
"""
import asyncio
import collections
import sys


class Direction:
    """Bytes read from one side, written to the other DELAY seconds later, in order."""

    def __init__(self, loop, delay):
        self.loop, self.delay = loop, delay
        self.queue = collections.deque()
        self.timer = None
        self.target = None
        self.closing = False

    def push(self, data):
        self.queue.append((self.loop.time() + self.delay, data))
        if self.timer is None:
            self.timer = self.loop.call_at(self.queue[0][0], self.drain)

    def close_after_pending(self):
        self.closing = True
        if self.timer is None:
            self.drain()

    def drain(self):
        self.timer = None
        now = self.loop.time()
        while self.queue and self.queue[0][0] <= now:
            data = self.queue.popleft()[1]
            if self.target is not None and not self.target.is_closing():
                self.target.write(data)
        if self.queue:
            self.timer = self.loop.call_at(self.queue[0][0], self.drain)
        elif self.closing and self.target is not None:
            self.target.close()


class Side(asyncio.Protocol):
    def __init__(self, outgoing, incoming):
        self.outgoing, self.incoming = outgoing, incoming  # bytes we read go out; bytes for us come in

    def connection_made(self, transport):
        self.incoming.target = transport
        transport.get_extra_info("socket").setsockopt(6, 1, 1)  # TCP_NODELAY

    def data_received(self, data):
        self.outgoing.push(data)

    def connection_lost(self, exc):
        self.outgoing.close_after_pending()


async def main():
    listen_port, host, port, delay_ms = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    loop = asyncio.get_running_loop()
    delay = delay_ms / 1000

    def client_side():
        up, down = Direction(loop, delay), Direction(loop, delay)

        class Client(Side):
            def connection_made(self, transport):
                super().connection_made(transport)
                transport.pause_reading()
                loop.create_task(connect(transport))

        async def connect(client):
            try:
                await loop.create_connection(lambda: Side(down, up), host, port)
                client.resume_reading()
            except OSError:
                client.close()

        return Client(up, down)

    server = await loop.create_server(client_side, "127.0.0.1", listen_port)
    print(f"delay proxy 127.0.0.1:{listen_port} -> {host}:{port}, {delay_ms} ms each way", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
