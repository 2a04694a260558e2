// Measures the cost of one instantiation through InstancePre against V8's own
// `new WebAssembly.Instance` with an equivalent import object, for a small module with
// host functions (with and without a memory). Run: npx node test/runtime/instantiate-cost.ts

import { Engine, Linker, Module, Store } from '../../src/runtime/index.ts';

const N = 10_000;
const engine = new Engine();

function measure(label: string, once: () => unknown): number {
  for (let i = 0; i < 1000; i++) once(); // warm up
  const start = performance.now();
  for (let i = 0; i < N; i++) once();
  const us = ((performance.now() - start) * 1000) / N;
  console.log(`${label.padEnd(64)} ${us.toFixed(2)} µs/instance`);
  return us;
}

for (const memory of ['', '(memory (export "memory") 1)']) {
  const text = `(module (import "env" "a" (func $a (param i32) (result i32))) (import "env" "b" (func $b (param i32 i32)))
    ${memory} (global $g (mut i32) (i32.const 0))
    (func (export "run") (param i32) (result i32) local.get 0 call $a local.get 0 call $b global.get $g))`;
  const module = Module.compileSync(engine, text);
  const linker = new Linker<{ n: number }>(engine);
  linker.defineFunc('env', 'a', { params: ['i32'], results: ['i32'] }, (caller, x: number) => x + caller.data.n);
  linker.defineFunc('env', 'b', { params: ['i32', 'i32'], results: [] }, () => {});
  const pre = linker.instantiatePre(module);
  const kind = memory ? 'with a memory' : 'no memory';
  const shared = new Store(engine, { n: 1 });
  const ours = measure(`InstancePre.instantiate, one store (${kind})`, () => pre.instantiate(shared));
  measure(`InstancePre.instantiate, a new store each (${kind})`, () => pre.instantiate(new Store(engine, { n: 1 })));
  const data = { n: 1 };
  const v8 = measure(`new WebAssembly.Instance, closures per instance (${kind})`, () => {
    const env = { a: (x: number) => x + data.n, b: () => {} };
    return new WebAssembly.Instance(module.compiled, { env });
  });
  console.log(`${''.padEnd(64)} ratio ${(ours / v8).toFixed(2)}`);
}
