// Custom annotations in scripts (the spec's "Custom Annotations" appendix and the branch
// hinting proposal's text format): the part of `(@metadata.code.branch_hint …)` that
// our text parser does not check yet.
//
// The parser rejects a hint outside a function and a repeated hint ("malformed"), but it
// keeps no hints in the model, so the rule the reference interpreter checks when it
// validates the `metadata.code.branch_hint` section — a hint must sit on an `if` or a
// `br_if` — is checked here, on the script's tokens: a hint's target is the instruction
// that follows it, plain (`… if`) or folded (`(if …)`).

import { ValidationError } from '../model/errors.ts';
import { Lexer, Tok, firstAnnotationFrom } from '../text/lexer.ts';
import type { BranchHint } from './commands.ts';

/** A custom section (here: a branch hint) that is invalid although the module is valid. */
export class CustomValidationError extends ValidationError {
  override name = 'CustomValidationError';
}

const BRANCH_HINT = '@metadata.code.branch_hint';

/**
 * The branch hints among `lx`'s annotations in [start, end) — a module's source in a
 * script — each with the keyword of the instruction it sits on ('' when none follows).
 */
export function branchHints(lx: Lexer, start: number, end: number): BranchHint[] {
  const out: BranchHint[] = [];
  const annots = lx.annotations;
  for (let i = firstAnnotationFrom(annots, start); i < annots.length; i++) {
    const a = annots[i]!;
    if (a.start >= end) break;
    if (a.kind !== 'branch_hint') continue;
    const next = new Lexer(lx.source, { offset: a.end, end });
    if (next.kind === Tok.lparen) next.next();
    out.push({ offset: a.start, target: next.kind === Tok.keyword ? next.text() : '' });
  }
  return out;
}

/** The branch hints of a module's whole source text (a quoted module). */
export function branchHintsOfSource(source: string): BranchHint[] {
  if (!source.includes(BRANCH_HINT)) return [];
  return branchHints(new Lexer(source), 0, source.length);
}

/** Fails with the reference interpreter's message unless every hint is on `if` or `br_if`. */
export function checkBranchHints(hints: readonly BranchHint[]): void {
  for (const h of hints) {
    if (h.target !== 'if' && h.target !== 'br_if') {
      throw new CustomValidationError(`${BRANCH_HINT} annotation: invalid target`);
    }
  }
}
