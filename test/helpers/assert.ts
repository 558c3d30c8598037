import { expect } from "chai";

/** Awaits `promise` and asserts that it rejects with an error whose message matches `pattern`. */
export async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a rejection").to.be.instanceOf(Error);
  expect((caught as Error).message).to.match(pattern);
  return caught as Error;
}
