'use strict';
// SMTP sink for development and tests: accepts every mail on 127.0.0.1:1025 (no auth, no TLS) and lets tests read
// what was "sent" over HTTP on 127.0.0.1:1080. Mails are kept in memory for fast reads and written one JSON file
// each to the data folder, so a restart of the sink (fault-injection tests, infra:down/up) loses nothing.
//
//   GET    /api/messages[?to=addr]  JSON array, oldest first; `to` filters by recipient, case-insensitive
//   DELETE /api/messages            forget every mail (memory and files)
//   GET    /health                  200 once both listeners are up
//
// Usage: node infra/smtp-sink/server.js [dataDir]   (env SMTP_SINK_SMTP_PORT, SMTP_SINK_HTTP_PORT override the ports)
const fs = require('fs');
const path = require('path');
const http = require('http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const HOST = '127.0.0.1';
const SMTP_PORT = Number(process.env.SMTP_SINK_SMTP_PORT || 1025);
const HTTP_PORT = Number(process.env.SMTP_SINK_HTTP_PORT || 1080);
const dataDir = path.resolve(process.argv[2] || process.env.SMTP_SINK_DIR || 'smtp-data');

fs.mkdirSync(dataDir, { recursive: true });

// Ids sort in arrival order (time, then a counter for mails within the same millisecond).
let counter = 0;
const newId = () => `${Date.now()}-${String(counter++ % 1e6).padStart(6, '0')}`;

const messages = fs
  .readdirSync(dataDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'));
    } catch {
      return null; // a file cut short by a kill -9: skip it rather than refuse to start
    }
  })
  .filter(Boolean)
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function store(msg) {
  // write-then-rename so a crash never leaves a half-written file under the final name
  const file = path.join(dataDir, `${msg.id}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(msg));
  fs.renameSync(`${file}.tmp`, file);
  messages.push(msg);
}

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        // The envelope says who really received the mail (Bcc included); the headers are only what is displayed.
        const to = session.envelope.rcptTo.map((r) => r.address);
        const from = (parsed.from && parsed.from.value[0] && parsed.from.value[0].address) ||
          (session.envelope.mailFrom && session.envelope.mailFrom.address) || '';
        store({
          id: newId(),
          from,
          to,
          subject: parsed.subject || '',
          text: parsed.text || '',
          html: parsed.html || null,
          date: (parsed.date || new Date()).toISOString(),
        });
        callback();
      })
      .catch(callback);
  },
});

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const api = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${HOST}`);
  if (url.pathname === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
  if (url.pathname === '/api/messages' && req.method === 'GET') {
    const to = (url.searchParams.get('to') || '').toLowerCase();
    const list = to ? messages.filter((m) => m.to.some((a) => a.toLowerCase() === to)) : messages;
    return sendJson(res, 200, list);
  }
  if (url.pathname === '/api/messages' && req.method === 'DELETE') {
    const deleted = messages.length;
    messages.length = 0;
    for (const f of fs.readdirSync(dataDir)) if (f.endsWith('.json')) fs.rmSync(path.join(dataDir, f), { force: true });
    return sendJson(res, 200, { deleted });
  }
  return sendJson(res, 404, { error: 'not found' });
});

// SMTP first, HTTP second: /health answering means both are listening.
smtp.on('error', (err) => {
  console.error('smtp error:', err.message);
  if (err.code === 'EADDRINUSE' || err.code === 'EACCES') process.exit(1); // cannot listen: nothing to serve
});
smtp.listen(SMTP_PORT, HOST, () => {
  api.listen(HTTP_PORT, HOST, () => {
    console.log(`smtp sink: smtp ${HOST}:${SMTP_PORT}, http ${HOST}:${HTTP_PORT}, ${messages.length} stored mails in ${dataDir}`);
  });
});
api.on('error', (err) => {
  console.error('http error:', err.message);
  process.exit(1);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    api.close();
    smtp.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref(); // open client connections must not block a stop
  });
}
