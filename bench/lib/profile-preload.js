/**
 * Preloaded into an app with NODE_OPTIONS=--require (node refuses --cpu-prof there): samples the
 * process with the in-process inspector and writes a .cpuprofile to BENCH_PROF_DIR when it exits,
 * including when Nest's shutdown hooks re-raise SIGTERM on the process after closing the app.
 */
'use strict';
const inspector = require('node:inspector');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
  const kill = process.kill.bind(process);
  process.kill = (pid, signal) => {
    if (pid === process.pid) write();
    return kill(pid, signal);
  };
}
