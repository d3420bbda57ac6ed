import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_DIR, dashboards, render } from './dashboards';

describe('deploy/observability/dashboards', () => {
  it('holds exactly the dashboards of scripts/dashboards.ts, as generated (npm run dashboards)', () => {
    const generated = dashboards();
    const files = readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(generated).sort());
    for (const [file, model] of Object.entries(generated)) {
      expect(readFileSync(join(DASHBOARD_DIR, file), 'utf8')).toBe(render(model));
    }
  });

  it('has one dashboard per service plus the order flow, with unique uids and panel ids', () => {
    const models = Object.values(dashboards()) as { uid: string; panels: { id: number }[] }[];
    expect(models.map((m) => m.uid).sort()).toEqual([
      'microshop-notification-service',
      'microshop-order-flow',
      'microshop-order-service',
      'microshop-product-service',
      'microshop-user-service',
    ]);
    for (const model of models) {
      const ids = model.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
