// The published JSON Schemas (result.schema.json, merge.schema.json beside
// this file), checked with Ajv: a validator used by most of the JavaScript
// ecosystem, complete for draft-07 and fast, where hand-written checks had
// already let `names: 5` through to a renderer. An Ajv error becomes one
// line: the JSON path of the value and what was expected there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { packageRoot } from '../package-root.js';

const Ajv = AjvModule.default;

/** Where the schemas live in a checkout and in the installed package. */
export const SCHEMA_DIR = path.join(packageRoot, 'src', 'model', 'schema');

export type SchemaName = 'result' | 'merge';

let validators: Record<SchemaName, ValidateFunction> | undefined;

function load(): Record<SchemaName, ValidateFunction> {
  const read = (name: string) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as { $id: string };
  // Strict, but for if/then: `required` there names fields defined beside it.
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  const result = read('result');
  const merge = read('merge');
  ajv.addSchema(result);
  ajv.addSchema(merge);
  return { result: ajv.getSchema(result.$id)!, merge: ajv.getSchema(merge.$id)! };
}

/** `.poll`, or `["odd key"]` for a key that is not a plain word. */
export function jsonPathKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** `/scenarios/3/runs/poll` -> `scenarios[3].runs.poll`. */
function jsonPath(pointer: string): string {
  if (pointer === '') return '';
  const keys = pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  return keys.map((k) => (/^\d+$/.test(k) ? `[${k}]` : jsonPathKey(k))).join('').replace(/^\./, '');
}

function describe(error: ErrorObject): { at: string; what: string } {
  const at = jsonPath(error.instancePath);
  const schema = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return { at, what: `missing field '${field}'` };
    }
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      return { at, what: `items ${j} and ${i} are the same; expected ${schema?.description ?? 'unique items'}` };
    }
    default:
      return { at, what: `expected ${schema?.description ?? error.message ?? 'something else'}` };
  }
}

/** The first thing wrong with `json` against a schema, or undefined. */
export function schemaProblem(name: SchemaName, json: unknown): { at: string; what: string } | undefined {
  validators ??= load();
  const validate = validators[name];
  if (validate(json)) return undefined;
  return describe(validate.errors![0]);
}
