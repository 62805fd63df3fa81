import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A loopback port the OS just handed out, for servers started by tests and benchmarks. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

interface PortHolder {
  pid: number;
  /** Its command line, shortened for a message. */
  command: string;
}

/** TCP state LISTEN in /proc/net/tcp. */
const LISTEN = '0A';

function readOrEmpty<T>(read: () => T, empty: T): T {
  try {
    return read();
  } catch {
    // Not Linux, another user's process, or one that exited while we looked.
    return empty;
  }
}

/** The sockets listening on `port`, as /proc/PID/fd links name them: socket:[inode]. */
function listeningSockets(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const sockets = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOrEmpty(() => fs.readFileSync(table, 'utf8'), '').split('\n').slice(1)) {
      // sl local_address(hex ADDR:PORT) rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hexPort}`) && f[3] === LISTEN) sockets.add(`socket:[${f[9]}]`);
    }
  }
  return sockets;
}

function shortCommand(pid: string): string {
  const [program = '?', ...args] = readOrEmpty(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'), '').split('\0').filter(Boolean);
  const command = [path.basename(program), ...args].join(' ').replace(/\s+/g, ' ');
  return command.length > 80 ? `${command.slice(0, 79)}…` : command;
}

/**
 * The processes listening on a TCP port, found through /proc (Linux). Empty without /proc, and
 * when the holder's descriptors cannot be read: another user's process, or another container's.
 */
function portHolders(port: number): PortHolder[] {
  const sockets = listeningSockets(port);
  if (sockets.size === 0) return [];
  const holders: PortHolder[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const fds = readOrEmpty(() => fs.readdirSync(`/proc/${pid}/fd`), []);
    if (fds.some((fd) => sockets.has(readOrEmpty(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`), '')))) {
      holders.push({ pid: Number(pid), command: shortCommand(pid) });
    }
  }
  return holders;
}

/** For a port found in use: who holds it and how to stop that, e.g. "Port 7233 is in use by PID 12345 (temporal server start-dev …); stop it with `kill 12345`". */
export function describePortInUse(port: number): string {
  const holders = portHolders(port);
  if (holders.length === 0) {
    return `Port ${port} is in use by a process this user cannot see (another user's, or outside this container); \`sudo ss -ltnp 'sport = :${port}'\` names it`;
  }
  const who = holders.map((h) => `PID ${h.pid} (${h.command})`).join(', ');
  return `Port ${port} is in use by ${who}; stop ${holders.length > 1 ? 'them' : 'it'} with \`kill ${holders.map((h) => h.pid).join(' ')}\``;
}
