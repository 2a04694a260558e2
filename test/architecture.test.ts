// The layering rule of DESIGN.md: each layer under src/ imports only from itself and the
// layers above it in DESIGN's list; the portable layers import nothing from `node:` and
// use no Node-only globals; src/ depends on no npm package (no runtime dependencies).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** DESIGN.md's layers, in order: a layer may import from those before it. */
const LAYERS = ['model', 'binary', 'text', 'validate', 'runtime', 'wasi', 'wast', 'component', 'serve', 'cli'] as const;

/** Layers that must run in any JavaScript engine (DESIGN principle 6). */
const PORTABLE = new Set(['model', 'binary', 'text', 'validate', 'wast']);

/**
 * Files of a portable layer allowed to use Node.js anyway, as `layer/file.ts`. The WAST
 * parser and runner are portable; a Node.js-only helper there must be listed here.
 */
const NODE_ALLOWED: ReadonlySet<string> = new Set([
  'wast/files.ts', // reads .wast files and walks directories for the runner's Node.js users
]);

/** Globals that exist only in Node.js. */
const NODE_GLOBALS = new Set(['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate']);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

interface Reference {
  readonly specifier: string;
  readonly line: number;
}

/** Every module specifier a file names: imports, re-exports, dynamic imports, require. */
export function moduleReferences(fileName: string, text: string): { imports: Reference[]; globals: Reference[] } {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: Reference[] = [];
  const globals: Reference[] = [];
  // Names the file declares itself (a parameter `process`, say) are not the globals.
  const declared = new Set<string>();
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push({ specifier: node.moduleSpecifier.text, line: line(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      imports.push({ specifier: ts.isStringLiteral(e) ? e.text : '<computed>', line: line(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      imports.push({ specifier: arg && ts.isStringLiteralLike(arg) ? arg.text : '<computed>', line: line(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push({ specifier: node.argument.literal.text, line: line(node) });
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      if (isDeclaration(node)) declared.add(node.text);
      else if (isFreeReference(node)) globals.push({ specifier: node.text, line: line(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, globals: globals.filter((g) => !declared.has(g.specifier)) };
}

function isDeclaration(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return true;
  return ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p);
}

/** Whether an identifier refers to a variable (not a property name, a declaration or a type member). */
function isFreeReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) return false;
  if (ts.isExportSpecifier(p)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isLabeledStatement(p)) return false;
  return true;
}

/** The layer a file under src/ belongs to; null for src/index.ts (the public API, above all layers). */
function layerOf(file: string): string | null {
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? null : parts[0]!;
}

interface Violation {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

export function checkFile(file: string, text: string): Violation[] {
  const layer = layerOf(file);
  const rel = relative(root, file);
  const out: Violation[] = [];
  if (layer !== null && !(LAYERS as readonly string[]).includes(layer)) {
    return [{ file: rel, line: 1, problem: `src/${layer}/ is not a layer of DESIGN.md (${LAYERS.join(', ')})` }];
  }
  const rank = layer === null ? LAYERS.length : LAYERS.indexOf(layer as (typeof LAYERS)[number]);
  const portable = layer !== null && PORTABLE.has(layer) && !NODE_ALLOWED.has(relative(src, file).split(sep).join('/'));
  const { imports, globals } = moduleReferences(file, text);
  for (const { specifier, line } of imports) {
    if (specifier === '<computed>') {
      out.push({ file: rel, line, problem: 'a computed import cannot be checked; name the module with a string literal' });
      continue;
    }
    if (specifier.startsWith('node:')) {
      if (portable) out.push({ file: rel, line, problem: `the ${layer} layer must run anywhere but imports ${specifier}` });
      continue;
    }
    if (!specifier.startsWith('.')) {
      out.push({ file: rel, line, problem: `imports ${specifier}: src/ may import only node: modules and its own files (no runtime dependencies)` });
      continue;
    }
    const target = resolve(dirname(file), specifier);
    if (!target.startsWith(src + sep)) {
      out.push({ file: rel, line, problem: `imports ${specifier}, outside src/` });
      continue;
    }
    const to = layerOf(target);
    if (to === null) {
      out.push({ file: rel, line, problem: `imports ${specifier}: only users import the package root` });
      continue;
    }
    const toRank = LAYERS.indexOf(to as (typeof LAYERS)[number]);
    if (toRank > rank) out.push({ file: rel, line, problem: `the ${layer} layer imports from ${to}, a layer below it (${specifier})` });
  }
  if (portable) {
    for (const { specifier, line } of globals) {
      out.push({ file: rel, line, problem: `the ${layer} layer must run anywhere but uses the Node.js global ${specifier}` });
    }
  }
  return out;
}

describe('architecture', () => {
  it('every layer imports only from itself and the layers above it; portable layers use no Node.js', () => {
    const violations = sourceFiles(src).flatMap((f) => checkFile(f, readFileSync(f, 'utf8')));
    assert.deepEqual(violations.map((v) => `${v.file}:${v.line}: ${v.problem}`), []);
  });

  it('catches the violations it is meant to catch', () => {
    const at = (layerFile: string) => join(src, ...layerFile.split('/'));
    const problems = (layerFile: string, text: string) => checkFile(at(layerFile), text).map((v) => v.problem);
    assert.deepEqual(problems('binary/x.ts', "import { parseModule } from '../text/index.ts';"), [
      'the binary layer imports from text, a layer below it (../text/index.ts)',
    ]);
    assert.equal(problems('model/x.ts', "export type { X } from '../cli/main.ts';").length, 1);
    assert.equal(problems('text/x.ts', "const m = await import('../wast/run.ts');").length, 1);
    assert.equal(problems('text/x.ts', "type T = import('../runtime/x.ts').T;").length, 1);
    assert.equal(problems('text/x.ts', "import { readFileSync } from 'node:fs';").length, 1);
    assert.equal(problems('wast/x.ts', "import type { Buffer as B } from 'node:buffer';").length, 1);
    assert.equal(problems('validate/x.ts', 'export const n = process.argv.length;').length, 1);
    assert.equal(problems('binary/x.ts', 'const b = Buffer.from([1]);').length, 1);
    assert.equal(problems('binary/x.ts', "import lodash from 'lodash';").length, 1);
    assert.equal(problems('frob/x.ts', '').length, 1);
    // Allowed: same layer, upper layers, node: in non-portable layers, property names.
    assert.deepEqual(problems('text/x.ts', "import { x } from './y.ts'; import { ByteWriter } from '../binary/index.ts'; import { ParseError } from '../model/errors.ts';"), []);
    assert.deepEqual(problems('cli/x.ts', "import { readFile } from 'node:fs/promises'; const m = await import('../text/index.ts'); process.exitCode = 1;"), []);
    assert.deepEqual(problems('binary/x.ts', 'const o = { process: 1, require: 2 }; o.process; interface I { global: number } let module = 1; module++;'), []);
    assert.deepEqual(problems('binary/x.ts', 'export function f(process: number) { return process + 1; }'), []);
  });
});
