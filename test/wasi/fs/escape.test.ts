// The escape suite (escape.ts) against every file system: in memory, and host
// directories with both resolution modes.

import { describe } from 'node:test';
import { escapeSuite } from './escape.ts';
import { hostFixture, memoryFixture } from './fixtures.ts';

describe('memory file system', () => escapeSuite(() => memoryFixture()));
describe('host file system (default resolution)', () => escapeSuite(() => hostFixture()));
describe('host file system (path fallback)', () => escapeSuite(() => hostFixture('path')));
