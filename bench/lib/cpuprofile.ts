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

/** Where a frame's code lives: an npm package, node's own modules, V8 pseudo-frames, or the app bundle. */
export function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const app = /dist\/apps\/([^/]+)\//.exec(url);
  if (app) return `${app[1]} (our code)`;
  return url.replace(/^file:\/\//, '');
}

export interface ProfileSummary {
  /** Sampled wall time of the profile. */
  wallMs: number;
  /** Time on the CPU (not idle) in it. */
  busyMs: number;
  functions: SelfTime[];
  modules: { module: string; selfMs: number; share: number }[];
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byModule = new Map<string, number>();
  let busyMs = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === '(idle)') continue;
    const m = moduleOf(n.callFrame.url, n.callFrame.functionName);
    byModule.set(m, (byModule.get(m) ?? 0) + hits * perSample);
    busyMs += hits * perSample;
  }
  return {
    wallMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    functions: topSelfTime(file, top, profile),
    modules: [...byModule]
      .map(([module, ms]) => ({
        module,
        selfMs: Math.round(ms),
        share: Math.round((ms / Math.max(1, busyMs)) * 1000) / 10,
      }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top),
  };
}

export function topSelfTime(file: string, top = 15, parsed?: Profile): SelfTime[] {
  const profile = parsed ?? (JSON.parse(readFileSync(file, 'utf8')) as Profile);
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
  const summary = summarizeProfile(file, Number(top ?? 15));
  console.log(`wall ${summary.wallMs} ms, on CPU ${summary.busyMs} ms`);
  for (const e of summary.modules) {
    console.log(`${String(e.selfMs).padStart(7)} ms ${String(e.share).padStart(5)}%  ${e.module}`);
  }
  console.log('');
  for (const e of summary.functions) {
    console.log(
      `${String(e.selfMs).padStart(7)} ms ${String(e.share).padStart(5)}%  ${e.fn}  ${e.where}`,
    );
  }
}
