/**
 * CPU and memory of processes from /proc: CPU seconds (utime + stime) between two readings and
 * the highest resident set size seen by a sampler (plus the kernel's own high-water mark VmHWM).
 */
import { readFileSync } from 'node:fs';

const CLK_TCK = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field: state is [0], utime is field 14 overall -> [11], stime -> [12].
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statusKb(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return m ? Number(m[1]) : 0;
}

export const rssMb = (pid: number) => statusKb(pid, 'VmRSS') / 1024;
export const hwmMb = (pid: number) => statusKb(pid, 'VmHWM') / 1024;

export interface ProcUsage {
  /** Average cores used over the window (CPU seconds / wall seconds). */
  cpuCores: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/** Watches a set of named pids for one phase: call `stop()` at its end. */
export class ProcWatch {
  private readonly cpu0 = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly t0 = performance.now();

  constructor(private readonly pids: Record<string, number>) {
    for (const [name, pid] of Object.entries(pids)) {
      this.cpu0.set(
        name,
        safe(() => cpuSeconds(pid)),
      );
      this.peak.set(
        name,
        safe(() => rssMb(pid)),
      );
    }
    this.timer = setInterval(() => this.sample(), 200);
  }

  private sample() {
    for (const [name, pid] of Object.entries(this.pids)) {
      this.peak.set(
        name,
        Math.max(
          this.peak.get(name) ?? 0,
          safe(() => rssMb(pid)),
        ),
      );
    }
  }

  stop(): Record<string, ProcUsage> {
    clearInterval(this.timer);
    this.sample();
    const wall = (performance.now() - this.t0) / 1000;
    const out: Record<string, ProcUsage> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const cpu = safe(() => cpuSeconds(pid)) - (this.cpu0.get(name) ?? 0);
      out[name] = {
        cpuSeconds: round(cpu),
        cpuCores: round(cpu / wall),
        peakRssMb: round(this.peak.get(name) ?? 0),
      };
    }
    return out;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
function safe(f: () => number): number {
  try {
    return f();
  } catch {
    return 0;
  }
}
