// The fuzz worker: loads the corpus, then runs the batches of cases the driver sends,
// publishing the case it is on (index, start time, input bytes) in shared memory so that
// the driver can kill it on a hang and still save the input. Failures are minimized and
// written to the run's output directory here.

import { parentPort, workerData } from 'node:worker_threads';
import { Corpus } from './cases.ts';
import { loadSpecSeeds } from './corpus.ts';
import { emptyStats, HEARTBEAT, runCase, type BatchResult, type WorkerInit } from './run-case.ts';

const init = workerData as WorkerInit;
const corpus = new Corpus(init.spec ? loadSpecSeeds() : []);
const beat = new Int32Array(init.heartbeat, 0, HEARTBEAT.words);
const input = new Uint8Array(init.heartbeat, HEARTBEAT.words * 4);

parentPort!.on('message', (msg: { from: number; to: number }) => {
  const result: BatchResult = {
    from: msg.from,
    to: msg.to,
    stats: emptyStats(),
    explainedBy: {},
    failures: [],
  };
  const alive = (): void => {
    Atomics.store(beat, HEARTBEAT.start, Date.now() - init.epoch);
  };
  for (let i = msg.from; i < msg.to; i++) {
    Atomics.store(beat, HEARTBEAT.index, i);
    Atomics.store(beat, HEARTBEAT.length, 0);
    alive();
    if (i === init.hangAt) for (;;);
    runCase(init, corpus, i, result, {
      publish(bytes) {
        if (bytes.length > input.length) return;
        input.set(bytes);
        Atomics.store(beat, HEARTBEAT.length, bytes.length);
      },
      alive,
    });
  }
  Atomics.store(beat, HEARTBEAT.start, -1);
  parentPort!.postMessage(result);
});
parentPort!.postMessage({ ready: corpus.seeds.length });
