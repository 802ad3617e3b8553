import type { Socket } from 'node:net';
import type { Transport } from './session.js';

/** After `end`, a peer that neither reads nor closes is cut off after this long. */
const END_TIMEOUT_MS = 5000;

const uncork = (socket: Socket): void => socket.uncork();

/** Adapts a node:net socket to the transport interface sessions use. */
export function tcpTransport(socket: Socket): Transport {
  const remoteAddress = socket.remoteAddress ?? 'unknown';
  const remotePort = socket.remotePort ?? 0;
  return {
    write: (bytes) => {
      // Lines queued to one socket within one tick leave in one syscall instead of one each
      // (measured: the write syscall was 44% of busy time in a private-message blast, see
      // docs/performance.md). Corked bytes still count in writableLength, so the cap holds.
      if (!socket.writableCorked) {
        socket.cork();
        process.nextTick(uncork, socket);
      }
      socket.write(bytes);
    },
    get bufferedBytes() {
      return socket.writableLength;
    },
    end: () => {
      socket.end();
      // Keep reading (and discarding) so the peer's FIN is seen and the socket can close.
      socket.resume();
      setTimeout(() => socket.destroy(), END_TIMEOUT_MS).unref();
    },
    destroy: () => {
      socket.destroy();
    },
    remoteAddress,
    remotePort,
  };
}
