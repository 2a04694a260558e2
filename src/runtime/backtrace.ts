// WebAssembly backtraces (the JS API's stack traces of wasm frames, as V8 writes them):
// the wasm frames of an error's stack, each named from our own reading of the module's
// `name` section.
//
// V8 writes a wasm frame as `at NAME (wasm://wasm/MODNAME-HASH:wasm-function[INDEX]:0xOFFSET)`
// (or without `NAME (…)`), where OFFSET is the byte offset of the instruction in the
// module's bytes and the URL is `wasm://wasm/HASH` when the module has no name. We take
// only the URL, the index and the offset from that text — those are unambiguous — and
// find the module a frame belongs to among the ones the call could have run: the first
// module whose function INDEX has a body containing OFFSET (and whose name matches the
// URL's) claims the URL for good. Names then come from our decoder, not from V8's text,
// where a `.` or a space in a name would make it ambiguous.

/** One WebAssembly frame of a backtrace. */
export interface Frame {
  /** The function's index in its module (imported functions first). */
  readonly funcIndex: number;
  /** Its name from the module's `name` section, if it has one. */
  readonly funcName?: string;
  /** The module's name from its `name` section, if it has one. */
  readonly moduleName?: string;
  /** The byte offset of the instruction in the module's binary. */
  readonly offset: number;
}

/** What a module must tell about itself for its frames to be named. */
export interface FrameSource {
  /** The URL V8 gives the module's frames, once a frame has shown it. */
  v8Url: string | null;
  readonly moduleName: string | null;
  funcName(index: number): string | undefined;
  /** Whether function `index` is defined in the module and its body spans `offset`. */
  hasBody(index: number, offset: number): boolean;
}

interface RawFrame {
  readonly url: string;
  readonly funcIndex: number;
  readonly offset: number;
}

const WASM_FRAME = /^\s*at (?:.* \()?(wasm:\/\/wasm\/[^\s()]*):wasm-function\[(\d+)\]:0x([0-9a-fA-F]+)\)?\s*$/;
const ANY_FRAME = /^\s*at /;

/** The wasm frames in a V8 stack trace, innermost first. */
function rawFrames(stack: string): RawFrame[] {
  const out: RawFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = WASM_FRAME.exec(line);
    if (m !== null) out.push({ url: m[1]!, funcIndex: Number(m[2]), offset: parseInt(m[3]!, 16) });
  }
  return out;
}

/** The error's stack text, or '' (reading `stack` can run user code: keep it contained). */
export function stackOf(error: unknown): string {
  try {
    const stack = (error as { stack?: unknown } | null)?.stack;
    return typeof stack === 'string' ? stack : '';
  } catch {
    return '';
  }
}

/**
 * Whether the error was raised with a WebAssembly frame on top of the stack (by V8 in
 * WebAssembly code), rather than thrown by JavaScript. Unknown (no frames captured) counts
 * as raised by WebAssembly.
 */
export function raisedInWasm(stack: string): boolean {
  for (const line of stack.split('\n')) {
    if (WASM_FRAME.test(line)) return true;
    if (ANY_FRAME.test(line)) return false;
  }
  return true;
}

/** The name part of a module URL (`wasm://wasm/NAME-HASH`), or null for `wasm://wasm/HASH`. */
function urlModuleName(url: string): string | null {
  const tail = url.slice('wasm://wasm/'.length);
  const dash = tail.lastIndexOf('-');
  return dash < 0 ? null : tail.slice(0, dash);
}

function claims(source: FrameSource, frame: RawFrame): boolean {
  if (source.v8Url !== null) return source.v8Url === frame.url;
  if ((source.moduleName ?? null) !== urlModuleName(frame.url)) return false;
  return source.hasBody(frame.funcIndex, frame.offset);
}

/** The wasm frames of `stack`, named from the first of `sources` each belongs to. */
export function backtrace(stack: string, sources: Iterable<FrameSource>): Frame[] {
  const raw = rawFrames(stack);
  if (raw.length === 0) return [];
  const list = [...sources];
  const out: Frame[] = [];
  for (const f of raw) {
    const source = list.find((s) => claims(s, f));
    if (source === undefined) {
      out.push({ funcIndex: f.funcIndex, offset: f.offset });
      continue;
    }
    source.v8Url = f.url;
    const frame: { funcIndex: number; offset: number; funcName?: string; moduleName?: string } = {
      funcIndex: f.funcIndex,
      offset: f.offset,
    };
    const name = source.funcName(f.funcIndex);
    if (name !== undefined) frame.funcName = name;
    if (source.moduleName !== null) frame.moduleName = source.moduleName;
    out.push(frame);
  }
  return out;
}

/** Frames as lines of text, one per frame: `    0: 0x5f - module!function`. */
export function formatFrames(frames: readonly Frame[]): string {
  const width = String(frames.length - 1).length;
  return frames
    .map((f, i) => {
      const func = f.funcName ?? `<wasm function ${f.funcIndex}>`;
      return `  ${String(i).padStart(width)}: 0x${f.offset.toString(16)} - ${f.moduleName ?? '<unknown>'}!${func}`;
    })
    .join('\n');
}
