// BN254 constants and the shared ffjavascript WebAssembly engine.
import { buildBn128, type Bn128 } from "ffjavascript";

/** Order r of G1, G2 and GT: the scalar field Fr. */
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** Modulus p of the base field Fq. */
export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

let engine: Promise<Bn128> | undefined;

/**
 * The process-wide ffjavascript engine. It starts worker threads, so callers that
 * finish with it must call {@link releaseEngine} or the process never exits.
 */
export function getEngine(): Promise<Bn128> {
  engine ??= buildBn128();
  return engine;
}

/** Stops the engine's worker threads. A later {@link getEngine} starts a fresh engine. */
export async function releaseEngine(): Promise<void> {
  const current = engine;
  engine = undefined;
  if (current) await (await current).terminate();
}
