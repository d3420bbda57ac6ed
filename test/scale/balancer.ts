import { appPort, AppName } from '../../scripts/platform';

/** One request as the shoppers saw it: where it went, what came back, in which phase. */
export interface Outcome {
  phase: string;
  app: AppName;
  what: string;
  status: number;
  ms: number;
  /** Attempts that never reached an app (refused or cut connections), sent again elsewhere. */
  retries: number;
}

const READINESS_POLL_MS = 200;
const MAX_ATTEMPTS = 6;

/**
 * What a Kubernetes Service does for the replicas of each app: sends each request to a replica in
 * rotation, takes a replica out while its readiness is not 200 (polled, as the endpoints controller
 * does), and, like a proxy retrying connect failures, sends a request whose connection failed to
 * another replica. Only requests that are safe to repeat are sent again (reads, and writes with an
 * Idempotency-Key or If-Match, or whose repetition the caller tells apart).
 */
export class Balancer {
  readonly outcomes: Outcome[] = [];
  phase = 'warm-up';
  private readonly inRotation = new Map<AppName, Set<number>>();
  private next = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly apps: readonly AppName[],
    private readonly replicas: number,
  ) {}

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), READINESS_POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends a request to a replica of `app` in rotation; resolves with its status and body. */
  async send<T = unknown>(
    app: AppName,
    what: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers; retries: number }> {
    const started = Date.now();
    const phase = this.phase;
    for (let attempt = 0; ; attempt++) {
      const replica = await this.pick(app);
      try {
        const res = await fetch(`http://127.0.0.1:${appPort(app, replica)}${path}`, {
          method,
          headers: {
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        const body = (
          text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text
        ) as T;
        this.outcomes.push({
          phase,
          app,
          what,
          status: res.status,
          ms: Date.now() - started,
          retries: attempt,
        });
        return { status: res.status, body, headers: res.headers, retries: attempt };
      } catch (err) {
        // The connection failed (refused, reset, closed): out of rotation until readiness says so.
        this.inRotation.get(app)?.delete(replica);
        if (attempt + 1 >= MAX_ATTEMPTS) {
          this.outcomes.push({
            phase,
            app,
            what,
            status: 0,
            ms: Date.now() - started,
            retries: attempt,
          });
          throw new Error(`${what}: no replica of ${app} answered (${(err as Error).message})`);
        }
      }
    }
  }

  private async pick(app: AppName): Promise<number> {
    for (let waited = 0; waited < 60_000; waited += 50) {
      const ready = [...(this.inRotation.get(app) ?? [])];
      if (ready.length) return ready[this.next++ % ready.length];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no replica of ${app} in rotation for 60 s`);
  }

  private async poll(): Promise<void> {
    await Promise.all(
      this.apps.map(async (app) => {
        const ready = new Set<number>();
        await Promise.all(
          [...Array(this.replicas).keys()].map(async (replica) => {
            const res = await fetch(`http://127.0.0.1:${appPort(app, replica)}/health/ready`, {
              signal: AbortSignal.timeout(1_000),
            }).catch(() => null);
            await res?.arrayBuffer();
            if (res?.status === 200) ready.add(replica);
          }),
        );
        this.inRotation.set(app, ready);
      }),
    );
  }
}
