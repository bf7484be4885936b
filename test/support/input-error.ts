import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';

/** Runs `f` and returns the InputError it throws (fails the test if it throws anything else or nothing). */
export function inputErrorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}
