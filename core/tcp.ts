import type { Socket } from 'node:net';
import type { Transport } from './session.js';

/** After `end`, a peer that neither reads nor closes is cut off after this long. */
const END_TIMEOUT_MS = 5000;

/** Adapts a node:net socket to the transport interface sessions use. */
export function tcpTransport(socket: Socket): Transport {
  const remoteAddress = socket.remoteAddress ?? 'unknown';
  const remotePort = socket.remotePort ?? 0;
  /** Bytes written since the socket was corked this tick: not yet offered to the peer. */
  let thisTick = 0;
  const flush = () => {
    thisTick = 0;
    socket.uncork();
  };
  return {
    write: (bytes) => {
      // Lines queued to one socket within one tick leave in one syscall instead of one each
      // (measured: the write syscall was 44% of busy time in a private-message blast, see
      // docs/performance.md).
      if (!socket.writableCorked) {
        socket.cork();
        process.nextTick(flush);
      }
      thisTick += bytes.length;
      socket.write(bytes);
    },
    /**
     * The backlog the peer has not taken: what is still queued minus this tick's corked bytes,
     * which have not been offered yet. A fast reader given a big burst in one tick is not a slow one.
     */
    get bufferedBytes() {
      return socket.writableLength - thisTick;
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
