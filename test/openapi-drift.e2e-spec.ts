import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NAMES, baseUrl, ROOT } from '../scripts/platform';

/**
 * The committed OpenAPI documents (openapi/<app>.json, from which clients/ are generated) are the
 * live ones: a change to routes, DTOs or decorators that is not exported fails here.
 * `npm run openapi:export` rewrites them (no running apps needed).
 */
const OPENAPI_DIR = join(ROOT, 'openapi');

async function liveDocument(app: (typeof APP_NAMES)[number]): Promise<unknown> {
  const res = await fetch(`${baseUrl(app)}/api-docs-json`);
  expect(res.status).toBe(200);
  return res.json();
}

/** JSON pointers where the two values differ (at most `max`). */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 25): string[] {
  if (out.length >= max) return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const pointer = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const [x, y] = [(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]];
      if (x === undefined) out.push(`${pointer} (only in the live document)`);
      else if (y === undefined) out.push(`${pointer} (only in the committed document)`);
      else differences(x, y, pointer, out, max);
      if (out.length >= max) break;
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(path || '/');
  }
  return out;
}

describe('committed OpenAPI documents match the running services', () => {
  it.each(APP_NAMES)('%s', async (app) => {
    const live = await liveDocument(app);
    const file = join(OPENAPI_DIR, `${app}.json`);
    if (!existsSync(file)) {
      throw new Error(`openapi/${app}.json is missing: run \`npm run openapi:export\``);
    }
    const committed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const diff = differences(live, committed);
    if (diff.length) {
      throw new Error(
        `openapi/${app}.json is out of date with the running ${app} at:\n  ${diff.join('\n  ')}\n` +
          'Run `npm run openapi:export` (then `npm run clients`) and commit the result.',
      );
    }
  });
});
