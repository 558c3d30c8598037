// How values read from the chain are shown.
import type { InferenceRecord } from "../../sdk/index.js";

export const time = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString().replace("T", " ").replace(/\.000Z$/, " UTC");

export const short = (hex: string): string => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex);

export const INSECURE = "INSECURE: built on a development SRS: its proofs prove nothing";

/** The input column of a record. */
export function inputOf(r: InferenceRecord): string {
  if (r.inputNotDeclared) return "input not declared";
  if (r.inputIsPrivate) return "private input";
  return r.inputHash;
}
