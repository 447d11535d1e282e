// Bad usage or bad input: one clear line, exit code 2, no stack trace.
export class UsageError extends Error {
  override name = 'UsageError';
}
