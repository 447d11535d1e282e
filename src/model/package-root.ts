// The folder that holds package.json, matrix/ and the schemas, in a checkout
// (src/model/) and in the built package (dist/model/) alike.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
