import fs from 'node:fs';
import { round } from './util';

/** Linux reports process times in clock ticks; 100 per second on every common kernel configuration. */
const TICKS = 100;

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
  /** Own CPU seconds plus those of children it has reaped (PostgreSQL's exited backends). */
  seconds: number;
}

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; the fields after its last ')' are fixed.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(f[i] ?? 0), 0);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      procs.push({ pid: Number(entry), ppid: Number(f[1]), cmdline, seconds: ticks / TICKS });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return procs;
}

export interface CpuSnapshot {
  bench: number;
  temporal: number;
  postgres: number;
}

/**
 * CPU seconds used so far by this process (worker, client, SMTP sink) and by the bench's own
 * Temporal server and PostgreSQL, found by the private work folder on their command lines.
 * Other people's processes on the machine are not counted.
 */
export function cpuSnapshot(workDir: string): CpuSnapshot {
  const procs = readProcs();
  const sum = (ps: Proc[]) => ps.reduce((a, p) => a + p.seconds, 0);
  const temporal = procs.filter((p) => p.cmdline.includes('start-dev') && p.cmdline.includes(workDir));
  const postmaster = procs.filter((p) => p.cmdline.includes(`${workDir}/pg`));
  const backends = procs.filter((p) => postmaster.some((m) => m.pid === p.ppid));
  const self = process.cpuUsage();
  return { bench: (self.user + self.system) / 1e6, temporal: sum(temporal), postgres: sum([...postmaster, ...backends]) };
}

/** CPU milliseconds per case in each component between two snapshots. */
export function cpuPerCase(from: CpuSnapshot, to: CpuSnapshot, cases: number): CpuSnapshot & { total: number } {
  const per = (k: keyof CpuSnapshot) => round(((to[k] - from[k]) / cases) * 1000, 2);
  const out = { bench: per('bench'), temporal: per('temporal'), postgres: per('postgres') };
  return { ...out, total: round(out.bench + out.temporal + out.postgres, 2) };
}
