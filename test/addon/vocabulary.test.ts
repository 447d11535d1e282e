// The fake binding's lists are the real addon's: the recording in
// fixtures/vocabulary.json must be what this addon exports now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBinding } from '../../src/native/binding.js';
import { recordVocabulary, recorded } from '../vocabulary.js';
import { HAPROXY_TRANSPORT } from '../../src/model/scenario-syntax.js';

const onLinux = process.platform === 'linux' ? test : test.skip;

onLinux('test/fixtures/vocabulary.json is what the addon exports (after a change to its lists: npm run record:vocabulary) (skipped off Linux: recorded there)', () => {
  assert.equal(recorded(), JSON.parse(JSON.stringify(recordVocabulary(loadBinding()))));
});

test("the addon's default transport is haproxy's, which reproduce commands leave out", () => {
  assert.is(loadBinding().limits().defaultTransport, HAPROXY_TRANSPORT);
});

test.run();
