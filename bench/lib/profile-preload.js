/**
 * Preloaded into an app with NODE_OPTIONS=--require (node refuses --cpu-prof there): samples the
 * process with the in-process inspector for the phases the bench chooses. SIGWINCH starts a
 * profile named by the file BENCH_PROF_DIR/label (written by the bench just before the signal);
 * the next SIGWINCH stops it and writes BENCH_PROF_DIR/<label>.cpuprofile (then renames
 * <label>.tmp, so the bench never reads half a file). A profile still running at exit is dropped.
 * SIGWINCH because Nest's shutdown hooks take SIGUSR2 (and SIGHUP, SIGQUIT, ...) as a stop signal,
 * node takes SIGUSR1 for its inspector and V8's sampler uses SIGPROF.
 */
'use strict';
const inspector = require('node:inspector');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  let label = null;
  process.on('SIGWINCH', () => {
    if (label === null) {
      try {
        label = readFileSync(join(dir, 'label'), 'utf8').trim() || 'profile';
      } catch {
        label = 'profile';
      }
      session.post('Profiler.start');
      return;
    }
    const name = label;
    label = null;
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      const file = join(dir, `${name}.cpuprofile`);
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  });
}
