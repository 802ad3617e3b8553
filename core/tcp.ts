import type { Socket } from 'node:net';
import type { Transport } from './session.js';

/** After `end`, a peer that neither reads nor closes is cut off after this long. */
const END_TIMEOUT_MS = 5000;

/** Adapts a node:net socket to the transport interface sessions use. */
export function tcpTransport(socket: Socket): Transport {
  const remoteAddress = socket.remoteAddress ?? 'unknown';
  const remotePort = socket.remotePort ?? 0;
  return {
    // Session batches its lines per turn (core/flusher.ts), so each call is one turn's worth.
    write: (bytes) => {
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
