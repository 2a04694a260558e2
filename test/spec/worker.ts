// A worker of the spec suite run (./suite.ts): runs the scripts it is sent, one at a time.

import { parentPort, workerData } from 'node:worker_threads';
import { relative } from 'node:path';
import { runWastFile } from '../../src/wast/files.ts';

const { suiteDir } = workerData as { suiteDir: string };

parentPort!.on('message', (file: string) => {
  try {
    parentPort!.postMessage(runWastFile(file, { relativeTo: suiteDir }));
  } catch (e) {
    const name = relative(suiteDir, file).split('\\').join('/');
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const result = { id: `${name}:1:script`, file: name, line: 1, column: 1, kind: 'script', status: 'failed', reason };
    parentPort!.postMessage({ file: name, results: [result], passed: 0, failed: 1, skipped: 0 });
  }
});
