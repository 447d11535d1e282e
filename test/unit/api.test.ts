// Issue 18, "API": render() refuses an unknown format or contradictory
// options with a UsageError, the Binding type is exported, and the API's
// errors speak of its own options, never of command-line flags.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeDocuments, parseDocument, render, runMatrix, UsageError, type Binding, type RenderOptions } from '../../src/index.js';
import { fakeBinding } from '../fake-binding.js';
import { darwinDocument, linuxDocument } from '../hostile.js';

/** The UsageError `call` throws; fails when it throws nothing or something else. */
function usageError(call: () => unknown): UsageError {
  try {
    call();
  } catch (err) {
    assert.instance(err, UsageError);
    return err as UsageError;
  }
  throw new assert.Assertion({ message: 'no error', generated: true, operator: 'throws', actual: undefined, expects: UsageError });
}

const doc = linuxDocument();
const pair = [linuxDocument(), darwinDocument()];

test('render refuses an unknown format, an unknown option and options that contradict each other, in its own words', () => {
  const cases: Array<[unknown, RenderOptions, RegExp]> = [
    [doc, { format: 'pdf' as never }, /^render: format 'pdf' is not one of table markdown json csv html$/],
    [doc, { view: 'cooked' as never }, /^render: view 'cooked' is not 'raw' or 'normalised'$/],
    [doc, { colour: 'yes' as never }, /^render: colour must be true or false$/],
    [doc, { colur: true } as never, /^render: unknown option 'colur' \(options: format view raw onlyDiff colour columns\)$/],
    [doc, { raw: true, view: 'normalised' }, /^render: raw: true shows raw masks, view: 'normalised' shows properties; give one$/],
    [doc, { format: 'csv', colour: true }, /^render: colour applies to the table format, not csv$/],
    [doc, { format: 'markdown', columns: 100 }, /^render: columns fits the table format to a width; markdown is never wrapped$/],
    [doc, { columns: 5 }, /^render: columns must be a whole number from 20 to 100000, got 5$/],
    [doc, { format: 'json', view: 'normalised' }, /^render: view and raw shape table cells; the json format of one result document is the whole document/],
  ];
  for (const [input, options, message] of cases) {
    const err = usageError(() => render(input as never, options));
    assert.match(err.message, message);
    assert.not.match(err.message, /--[a-z]/, 'a command-line flag in an API error');
  }
  // The same options, consistent, are taken; a merge may be shaped as JSON.
  assert.ok(render(pair, { format: 'json', view: 'normalised' }).startsWith('{'));
  assert.ok(render(doc, { columns: 100, colour: true }).includes('\u001b['));
});

/** The UsageError a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<UsageError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.instance(err, UsageError);
  return err as UsageError;
}

test("the API's other errors name its own options, not the command line's", async () => {
  const binding: Binding = fakeBinding();
  const errors = [
    await rejection(runMatrix({ binding, scenarios: ['nope-*'] })),
    await rejection(runMatrix({ binding, backends: ['iocp'] })),
    await rejection(runMatrix({ binding, repeat: 0 })),
    usageError(() => parseDocument({ tool: 'pollmatrix' }, 'r.json')),
  ];
  assert.match(errors[0].message, /^scenarios: 'nope-\*' matches no scenario id of the catalogue$/);
  assert.match(errors[2].message, /^repeat must be a whole number from 1 to/);
  for (const err of errors) assert.not.match(err.message, /--[a-z]/, err.message);
  assert.is(mergeDocuments(pair).documents.length, 2);
});

test('a document measured by a cross-built addon says so in its platform and in every platform line (issue 16)', async () => {
  // The darwin prebuilds' platform() says addon: 'cross-built'
  // (native/napi/build.h); a fake stands in for them here.
  const base = fakeBinding();
  const crossBuilt: Binding = { ...base, platform: () => ({ ...base.platform(), addon: 'cross-built' }) };
  const made = await runMatrix({ binding: crossBuilt, scenarios: ['seed-connect-refused'], backends: ['poll'], repeat: 1 });
  assert.is(made.platform.addon, 'cross-built');
  const reread = parseDocument(JSON.parse(JSON.stringify(made)), 'cross-built.json');
  for (const format of ['table', 'markdown', 'html'] as const) assert.match(render(reread, { format }), /addon: cross-built/, format);
  // A merge's JSON columns carry it too, so a column read alone is labelled.
  assert.equal(mergeDocuments([reread]).columns.map((c) => c.addon), ['cross-built']);
  // A fake binding is neither loaded from a file nor cross-built: no claim.
  assert.is((await runMatrix({ binding: base, scenarios: ['seed-connect-refused'], backends: ['poll'], repeat: 1 })).platform.addon, undefined);
  assert.throws(() => parseDocument({ ...made, platform: { ...made.platform, addon: 'emulated' } }, 'bad.json'), /platform\.addon: expected 'source', 'prebuild' or 'cross-built'/);
});

test.run();
