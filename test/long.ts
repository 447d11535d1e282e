// Long tests: what is long by its point (a whole-catalogue pass, a compile of
// every native source, a bare `pollmatrix` over both kernels) runs when
// POLLMATRIX_LONG_TESTS=1, which .ci/run sets; `npm test` without it stays
// under a minute. Held back, such a test is skipped, and its title says why
// and how to run it.
import { test, type Callback } from 'uvu';

export const LONG_TESTS = process.env.POLLMATRIX_LONG_TESTS === '1';

/** What a held-back test's title ends with. */
export const LONG_WHY = LONG_TESTS ? '' : ' (long: set POLLMATRIX_LONG_TESTS=1; CI sets it)';

/** test() under POLLMATRIX_LONG_TESTS=1, test.skip() otherwise: put LONG_WHY
 * at the end of the title. */
export const longTest: (title: string, fn: Callback) => void = LONG_TESTS ? test : test.skip;
