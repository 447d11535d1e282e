// Records the addon's lists (backends, transports, actions, interests, flag
// tables and, where it has them, limits) into test/fixtures/vocabulary.json.
// The fake binding the unit tests use answers with this recording, so no test
// repeats a list; test/addon/vocabulary.test.ts fails when the addon's lists
// change and the recording was not made again:
//   npm run record:vocabulary          (on Linux, where the catalogue runs)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/model/package-root.js';
import { loadBinding } from '../src/native/binding.js';
import { recordVocabulary } from '../test/vocabulary.js';

const file = path.join(packageRoot, 'test', 'fixtures', 'vocabulary.json');
writeFileSync(file, JSON.stringify(recordVocabulary(loadBinding()), null, 1) + '\n');
console.log(`record-vocabulary: wrote ${path.relative(packageRoot, file)}`);
