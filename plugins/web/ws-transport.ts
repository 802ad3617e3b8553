import type { WebSocket } from 'ws';
import type { Transport } from '../../core/index.js';

/** After `end`, a peer that does not complete the close handshake is cut off after this long. */
const END_TIMEOUT_MS = 5000;
const LF = 0x0a;

/**
 * Adapts a WebSocket to core's Transport: one JSON line per text frame, without its `\n`.
 * `bufferedBytes` is what ws and the socket still hold, so core's send-queue cap drops a browser
 * that stops reading exactly as it drops a TCP client.
 */
export function wsTransport(ws: WebSocket, remoteAddress: string, remotePort: number): Transport {
  return {
    write: (bytes) => {
      // Core writes one `\n`-terminated line per call; split anyway, a frame must hold one line.
      let start = 0;
      while (start < bytes.length) {
        const lf = bytes.indexOf(LF, start);
        const end = lf === -1 ? bytes.length : lf;
        if (end > start) ws.send(bytes.subarray(start, end), { binary: false });
        start = end + 1;
      }
    },
    get bufferedBytes() {
      return ws.bufferedAmount;
    },
    end: () => {
      ws.close(1000);
      // Core may have paused reading (a refused session is never resumed): the peer's close frame must be read.
      ws.resume();
      setTimeout(() => ws.terminate(), END_TIMEOUT_MS).unref();
    },
    destroy: () => ws.terminate(),
    remoteAddress,
    remotePort,
  };
}
