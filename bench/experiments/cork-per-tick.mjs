/**
 * Experiment, not a fix: preloaded into the server (`node bench/run.mjs --preload
 * bench/experiments/cork-per-tick.mjs`), it coalesces every socket's writes of one tick into one
 * syscall (cork on the first write, uncork on the next tick). It measures what the same change in
 * core/tcp.ts (tcpTransport.write) would buy, without touching core.
 */
import net from 'node:net';

const write = net.Socket.prototype.write;
const uncork = (socket) => socket.uncork();
net.Socket.prototype.write = function corkedWrite(...args) {
  if (!this.writableCorked) {
    this.cork();
    process.nextTick(uncork, this);
  }
  return write.apply(this, args);
};
