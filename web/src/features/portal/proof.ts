// The proof of work a submission carries (ALTCHA): fetched and solved as soon as the form opens, so
// that it is usually ready before the citizen has finished writing. Solved in the page with the
// browser's own SHA-256 (Web Crypto); a fresh challenge after each submission.
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import { fetchChallenge, type Submission } from './api';

export type Proof = NonNullable<Submission['proof']>;

/** A proof being made: `null` when the server asks for none. */
export function startProof(): Promise<Proof | null> {
  return fetchChallenge().then(async (challenge) => {
    if (!challenge) return null;
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error('proof of work not found');
    return { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } };
  });
}
