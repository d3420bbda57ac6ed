import { z } from 'zod';
import { runWithTracing } from './run-with-tracing';

const mockCalls: string[] = [];
jest.mock('./start-tracing', () => ({
  startTracing: (settings: { serviceName: string }) => {
    mockCalls.push(`startTracing ${settings.serviceName}`);
    return false;
  },
}));

describe('runWithTracing', () => {
  beforeEach(() => (mockCalls.length = 0));

  it('parses the configuration once, starts tracing with its section, then runs main with it', async () => {
    const schema = z.object({ NAME: z.string() }).transform((env) => {
      mockCalls.push('parse');
      return { name: env.NAME, tracing: { serviceName: `svc-${env.NAME}` } };
    });

    const result = await runWithTracing(
      schema,
      (config) => {
        mockCalls.push(`main ${config.name}`);
        return Promise.resolve('started');
      },
      { NAME: 'a' },
    );

    expect(result).toBe('started');
    expect(mockCalls).toEqual(['parse', 'startTracing svc-a', 'main a']);
  });
});
