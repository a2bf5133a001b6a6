// Preloaded into each platform process by `pnpm bench:accept --cpu-prof <dir>` (NODE_OPTIONS may
// not carry --cpu-prof): samples the CPU from start to exit and writes <dir>/<app>-<pid>.cpuprofile,
// which Chrome DevTools or speedscope open.
/* global require, process */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.CEI_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // The in-process session answers synchronously, so this completes inside an 'exit' handler.
  process.once('exit', () =>
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      const name = `${path.basename(process.cwd())}-${process.pid}.cpuprofile`;
      fs.writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    }),
  );
}
