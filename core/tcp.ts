import type { Socket } from 'node:net';
import type { Transport } from './session.js';

/** Adapts a node:net socket to the transport interface sessions use. */
export function tcpTransport(socket: Socket): Transport {
  const remoteAddress = socket.remoteAddress ?? 'unknown';
  const remotePort = socket.remotePort ?? 0;
  return {
    write: (bytes) => {
      socket.write(bytes);
    },
    get bufferedBytes() {
      return socket.writableLength;
    },
    end: () => {
      socket.end();
    },
    destroy: () => {
      socket.destroy();
    },
    remoteAddress,
    remotePort,
  };
}
