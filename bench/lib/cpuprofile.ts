/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): the functions with the most self time.
 * Usage: ts-node bench/lib/cpuprofile.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface SelfTime {
  fn: string;
  where: string;
  selfMs: number;
  share: number;
}

export function topSelfTime(file: string, top = 15): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byFn = new Map<string, SelfTime>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const fn = n.callFrame.functionName || '(anonymous)';
    const url = n.callFrame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/dist\//, 'dist/');
    const where = url ? `${url}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${fn}@${where}`;
    const e = byFn.get(key) ?? { fn, where, selfMs: 0, share: 0 };
    e.selfMs += hits * perSample;
    byFn.set(key, e);
  }
  const busy = [...byFn.values()].filter((e) => e.fn !== '(idle)');
  const busyMs = busy.reduce((a, e) => a + e.selfMs, 0);
  return busy
    .map((e) => ({
      ...e,
      selfMs: Math.round(e.selfMs),
      share: Math.round((e.selfMs / busyMs) * 1000) / 10,
    }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: cpuprofile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  for (const e of topSelfTime(file, Number(top ?? 15))) {
    console.log(
      `${String(e.selfMs).padStart(7)} ms ${String(e.share).padStart(5)}%  ${e.fn}  ${e.where}`,
    );
  }
}
