// Container HEALTHCHECK: GET /health/live on the app's own port. Exit 0 when it answers 2xx.
// Plain Node (no curl in slim images); no dependency pings, see docs/contract.md.
'use strict';
const DEFAULT_PORTS = {
  'user-service': 4000,
  'product-service': 8000,
  'order-service': 3000,
  'notification-service': 5000,
};
const port = process.env.PORT || DEFAULT_PORTS[process.env.APP];
if (!port) {
  console.error('healthcheck: neither PORT nor a known APP is set');
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4000) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch((err) => {
    console.error(`healthcheck: ${err.message}`);
    process.exit(1);
  });
