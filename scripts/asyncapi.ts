/**
 * `npm run asyncapi`: writes docs/asyncapi.yaml, the AsyncAPI 3 document of every Kafka topic,
 * from the contracts in libs/events. scripts/asyncapi.spec.ts fails while the committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './platform';
import { ASYNCAPI_FILE, renderAsyncApi } from './asyncapi/document';

writeFileSync(ASYNCAPI_FILE, renderAsyncApi());
console.log(`wrote ${relative(ROOT, ASYNCAPI_FILE)}`);
