// Flags of the commands that talk to a chain (audit, explorer). viem and the SDK are loaded only
// when one of those commands runs: importing them costs every other command about half a second.
import type { Address } from "viem";
import { UsageError } from "./errors.js";

export function required(value: unknown, flag: string, what: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`${flag} is required: ${what}`);
  return value;
}

/** The address `value` names (checksum checked where it has one), or a UsageError naming the flag. */
export async function address(value: string, flag: string): Promise<Address> {
  const { getAddress } = await import("viem");
  try {
    return getAddress(value);
  } catch {
    throw new UsageError(`${flag} must be an address (0x and 40 hex digits), got "${value}"`);
  }
}
