// Checks of the caller's arguments, made before anything reaches the chain: a malformed
// argument throws InvalidArgumentError naming it, never a TypeError or an encoding error.
import { isAddress, isHex, type Address, type Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";

const show = (value: unknown): string => (typeof value === "string" ? `"${value}"` : typeof value === "bigint" ? `${value}n` : String(value));

/** An address: 0x and 40 hex digits (a mixed-case one must carry a valid checksum). */
export function checkAddress(what: string, value: unknown): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: true })) throw new InvalidArgumentError(`${what} must be an address (0x and 40 hex digits, checksummed if mixed-case), got ${show(value)}`);
  return value;
}

/** 32 bytes as 0x and 64 hex digits (model ids, record ids, digests, hashes). */
export function checkBytes32(what: string, value: unknown): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError(`${what} must be 32 bytes of hex (0x and 64 hex digits), got ${show(value)}`);
  return value as Hex;
}

/** Whole bytes as 0x-prefixed hex. */
export function checkHexBytes(what: string, value: unknown): Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length % 2 !== 0) throw new InvalidArgumentError(`${what} must be a 0x-prefixed hex string of whole bytes`);
  return value;
}

/** An array, or InvalidArgumentError naming it. */
export function checkArray<T>(what: string, value: readonly T[] | undefined): readonly T[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(`${what} must be an array, got ${show(value)}`);
  return value;
}

/** A uint32 given as a number (model versions, layout offsets and counts). */
export function checkUint32(what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value >= 2 ** 32) throw new InvalidArgumentError(`${what} must be an integer in 0…2^32−1, got ${show(value)}`);
  return value;
}

/** A uint256 given as a bigint. */
export function checkUint256(what: string, value: unknown): bigint {
  if (typeof value !== "bigint" || value < 0n || value >= 1n << 256n) throw new InvalidArgumentError(`${what} must be a uint256 (a bigint in 0…2^256−1), got ${show(value)}`);
  return value;
}

/**
 * Runs a local encoding of the caller's arguments (calldata, log topics). It touches no chain, so
 * its failure (viem's encoding errors, or a TypeError on a missing field) is a malformed argument.
 */
export function encodeArguments<T>(what: string, encode: () => T): T {
  try {
    return encode();
  } catch (err) {
    const why = (err as { shortMessage?: unknown }).shortMessage ?? (err as Error).message;
    throw new InvalidArgumentError(`malformed arguments to ${what}: ${String(why).split("\n")[0]}`, { cause: err });
  }
}
