// `nanoprocess inspect`: a summary of a binary module (spec §5.5), like `wasm-objdump -h -x`:
// its sections, index spaces, imports and exports, code size and custom sections. The
// facts are gathered by ./inspect-summary.ts; this file lays them out.

import { type Command, EXIT, type Io, UsageError, formatWasmError, parseOptions, readInput } from './io.ts';
import type { LimitsSummary, Summary } from './inspect-summary.ts';

const help = `nanoprocess inspect — summarize a binary module (.wasm)

Usage: nanoprocess inspect FILE.wasm [--json]

Reads FILE.wasm ("-" for standard input) and prints, without decoding the
function bodies into memory: every section with its id, offset, size and entry
count; the types; imports with their types in text-format syntax; functions
(imported, defined) and the number of instructions; tables, memories (limits,
64-bit, shared), globals, tags; exports with the names the name section gives
them; the start function; element and data segments with their sizes; custom
sections, and the contents of the "producers" and "target_features" sections.
A malformed module is reported as FILE: offset 0xOFFSET: MESSAGE, exit code 1.

Options:
  --json      print the summary as one JSON document
  -h, --help  show this help
`;

const hex = (n: number) => '0x' + n.toString(16).padStart(8, '0');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const named = (name: string | null) => (name === null ? '' : ` <${name}>`);

/** Segments listed in the text output; --json has them all. */
const MAX_LISTED = 10;

function more(out: string[], n: number): void {
  if (n > MAX_LISTED) out.push(`  … and ${n - MAX_LISTED} more (--json lists them all)`);
}

function limitsText(l: LimitsSummary): string {
  return `${l.address === 'i64' ? 'i64 ' : ''}min ${l.min}${l.max === null ? '' : `, max ${l.max}`}${l.shared ? ', shared' : ''}`;
}

/** The summary as text, one heading per part, omitting the parts the module lacks. */
export function formatSummary(file: string, s: Summary): string {
  const out: string[] = [`${file}: ${plural(s.size, 'byte')}, WebAssembly binary version 1`, '', 'Sections:'];
  const width = Math.max(4, ...s.sections.map((x) => x.name.length + (x.custom ? 2 : 0)));
  out.push(`  ${'id'.padStart(2)}  ${'name'.padEnd(width)}  ${'start'.padEnd(10)}  ${'size'.padStart(10)}  count`);
  for (const x of s.sections) {
    const name = x.custom ? `"${x.name}"` : x.name;
    out.push(`  ${String(x.id).padStart(2)}  ${name.padEnd(width)}  ${hex(x.start)}  ${String(x.size).padStart(10)}  ${x.count ?? ''}`.trimEnd());
  }
  out.push('');
  const t = s.types;
  if (t.count > 0) out.push(`Types: ${t.count} (${t.func} func, ${t.struct} struct, ${t.array} array) in ${plural(t.groups, 'recursion group')}`);
  if (s.imports.length > 0) {
    out.push(`Imports: ${s.imports.length}`);
    for (const i of s.imports) out.push(`  ${i.kind}[${i.index}] ${i.module}.${i.name}: ${i.type}`);
  }
  const f = s.functions;
  out.push(`Functions: ${f.imported} imported, ${f.defined} defined; ${plural(f.instructions, 'instruction')} in ${plural(f.codeBytes, 'byte')} of code`);
  if (s.tables.length > 0) out.push(`Tables: ${s.tables.length}`);
  for (const x of s.tables) out.push(`  table[${x.index}]: ${x.element}, ${limitsText(x.limits)}${x.init === null ? '' : `, init ${x.init}`}`);
  if (s.memories.length > 0) out.push(`Memories: ${s.memories.length}`);
  for (const x of s.memories) out.push(`  memory[${x.index}]: ${limitsText(x.limits)} pages`);
  if (s.globals.length > 0) out.push(`Globals: ${s.globals.length}`);
  for (const x of s.globals) out.push(`  global[${x.index}]: ${x.mutable ? `(mut ${x.type})` : x.type} = ${x.init}`);
  if (s.tags.length > 0) out.push(`Tags: ${s.tags.length}`);
  for (const x of s.tags) out.push(`  tag[${x.index}]: ${x.type}`);
  if (s.exports.length > 0) out.push(`Exports: ${s.exports.length}`);
  for (const x of s.exports) out.push(`  ${x.kind}[${x.index}] ${JSON.stringify(x.name)}${named(x.internalName)}`);
  if (s.start !== null) out.push(`Start: func[${s.start.index}]${named(s.start.name)}`);
  if (s.elems.length > 0) {
    out.push(`Elements: ${plural(s.elems.length, 'segment')}, ${plural(s.elems.reduce((n, e) => n + e.count, 0), 'element')}`);
    for (const e of s.elems.slice(0, MAX_LISTED)) out.push(`  elem[${e.index}]: ${e.mode}, ${e.count} ${e.type}`);
    more(out, s.elems.length);
  }
  if (s.datas.length > 0) {
    out.push(`Data: ${plural(s.datas.length, 'segment')}, ${plural(s.datas.reduce((n, d) => n + d.size, 0), 'byte')}`);
    for (const d of s.datas.slice(0, MAX_LISTED)) out.push(`  data[${d.index}]: ${d.mode}, ${plural(d.size, 'byte')}`);
    more(out, s.datas.length);
  }
  if (s.customs.length > 0) out.push(`Custom sections: ${s.customs.length}`);
  for (const c of s.customs) out.push(`  ${JSON.stringify(c.name)}: ${plural(c.size, 'byte')}`);
  if (s.producers !== null) {
    out.push('Producers:');
    for (const [field, tools] of Object.entries(s.producers)) {
      out.push(`  ${field}: ${tools.map((x) => (x.version === '' ? x.name : `${x.name} ${x.version}`)).join(', ')}`);
    }
  }
  if (s.targetFeatures !== null) out.push(`Target features: ${s.targetFeatures.join(' ')}`);
  for (const w of s.warnings) out.push(`Warning: ${w}`);
  return out.join('\n') + '\n';
}

async function run(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions('inspect', args, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one input file, got ${positionals.length}`, 'inspect');
  const input = positionals[0]!;
  const file = input === '-' ? '<stdin>' : input;
  const bytes = await readInput(input, io);
  // Loaded here, not at the top, so that `nanoprocess --help` does not load the decoder.
  const { summarize } = await import('./inspect-summary.ts');
  let summary: Summary;
  try {
    summary = summarize(bytes);
  } catch (e) {
    const message = formatWasmError(e, file);
    if (message === null) throw e;
    io.stderr.write(message + '\n');
    return EXIT.failure;
  }
  io.stdout.write(values.json ? JSON.stringify({ file, ...summary }, null, 2) + '\n' : formatSummary(file, summary));
  return EXIT.ok;
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarize a binary module: sections, imports, exports, code size, producers',
  help,
  run,
};
