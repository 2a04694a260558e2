// as_hello.ts: WASI from AssemblyScript through @assemblyscript/wasi-shim:
// console (fd_write to stdout and stderr), process.argv (args_*), process.env
// (environ_*), Date.now and performance.now (clock_time_get),
// crypto.getRandomValues (random_get), process.stdin.read (fd_read) and
// process.exit (proc_exit). Run with stdin "AssemblyScript\n".
// AssemblyScript, not TypeScript: the project's tsc must not check it.
// @ts-nocheck

let checks = 0;
let failed = 0;

function expect(ok: bool, what: string): void {
  checks++;
  if (!ok) failed++;
  console.log((ok ? "ok   " : "FAIL ") + what);
}

const args = process.argv;
for (let i = 1; i < args.length; i++) console.log("arg " + i.toString() + ": " + args[i]);
expect(args.length == 3, "process.argv has the program name and 2 arguments");

const env = process.env;
expect(env.has("MODE") && env.get("MODE") == "test", "process.env MODE=test");
expect(!env.has("HOME"), "process.env has no HOME");

expect(Date.now() > 1577836800000, "Date.now is after 2020");
const t0 = performance.now();
let sum: f64 = 0;
for (let i = 0; i < 100000; i++) sum += Math.sqrt(i as f64);
expect(performance.now() >= t0 && sum > 0, "performance.now does not go back");

const random = new Uint8Array(32);
crypto.getRandomValues(random);
let nonzero = 0;
for (let i = 0; i < random.length; i++) if (random[i] != 0) nonzero++;
expect(nonzero > 16, "crypto.getRandomValues fills the buffer");

const buffer = new ArrayBuffer(256);
let total = 0;
while (true) {
  const n = process.stdin.read(buffer, total);
  if (n <= 0) break;
  total += n;
}
const input = String.UTF8.decodeUnsafe(changetype<usize>(buffer), total);
console.log("stdin: " + input.trim() + " (" + total.toString() + " bytes)");
expect(input == "AssemblyScript\n", "process.stdin.read reads the whole input");
console.error("a line on stderr");

console.log(checks.toString() + " checks, " + failed.toString() + " failed");
process.exit(failed == 0 ? 0 : 1);
