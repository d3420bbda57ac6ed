import { startTracing, tracesUrl } from './start-tracing';

const mockLoaded: string[] = [];
jest.mock('@opentelemetry/sdk-node', () => {
  mockLoaded.push('@opentelemetry/sdk-node');
  return {};
});

describe('startTracing', () => {
  it('does nothing without an OTLP endpoint, not even loading the SDK', () => {
    expect(startTracing({ serviceName: 'spec' })).toBe(false);
    expect(mockLoaded).toEqual([]);
  });

  it('sends to the OTLP/HTTP traces path of the endpoint', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
  });
});
