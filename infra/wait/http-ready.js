'use strict';
// One readiness probe over HTTP: exit 0 when the URL answers 200. Usage: node infra/wait/http-ready.js <url>
const http = require('http');

const req = http.get(process.argv[2], { timeout: 2000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
