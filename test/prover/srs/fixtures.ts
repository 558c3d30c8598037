// Small .ptau files made with snarkjs, and byte-level tampering of them, for the SRS and CLI tests.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";

export const FIXTURE_POWER = 6;
/** G1 powers in a power-6 file: 2·2^6 − 1. */
export const FIXTURE_G1_POWERS = 2 * 2 ** FIXTURE_POWER - 1;

export interface PtauFixtures {
  dir: string;
  /** One contribution, plain layout. */
  plain: string;
  /** The same, prepared for phase 2 (adds the Lagrange sections). */
  prepared: string;
  /** A fresh accumulator: every point is a generator (τ = 1). */
  uncontributed: string;
  /** A BLS12-381 accumulator. */
  bls: string;
  remove(): Promise<void>;
}

export async function makePtauFixtures(): Promise<PtauFixtures> {
  const dir = await mkdtemp(join(tmpdir(), "zkinfer-ptau-"));
  const f = (name: string) => join(dir, name);
  const bn = await snarkjs.curves.getCurveFromName("bn128");
  const bls = await snarkjs.curves.getCurveFromName("bls12381");
  try {
    await snarkjs.powersOfTau.newAccumulator(bn, FIXTURE_POWER, f("fresh.ptau"));
    await snarkjs.powersOfTau.contribute(f("fresh.ptau"), f("plain.ptau"), "test", "some entropy for the test ceremony");
    await snarkjs.powersOfTau.preparePhase2(f("plain.ptau"), f("prepared.ptau"));
    await snarkjs.powersOfTau.newAccumulator(bls, 2, f("bls.ptau"));
  } finally {
    await bn.terminate();
    await bls.terminate();
  }
  return {
    dir,
    plain: f("plain.ptau"),
    prepared: f("prepared.ptau"),
    uncontributed: f("fresh.ptau"),
    bls: f("bls.ptau"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Offset of a section's data, found by walking the container (independently of prover/srs). */
export function sectionOffset(file: Uint8Array, id: number): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let pos = 12;
  for (let i = 0; i < view.getUint32(8, true); i++) {
    const size = Number(view.getBigUint64(pos + 4, true));
    if (view.getUint32(pos, true) === id) return pos + 12;
    pos += 12 + size;
  }
  throw new Error(`no section ${id}`);
}

/** Writes a copy of `src` as `name` in `dir` after `edit` changed its bytes (or returned new ones). */
export async function tamper(
  src: string,
  dir: string,
  name: string,
  edit: (bytes: Uint8Array) => Uint8Array | void,
): Promise<string> {
  const bytes = new Uint8Array(await readFile(src));
  const out = join(dir, name);
  await writeFile(out, edit(bytes) ?? bytes);
  return out;
}

export const TAU_G1 = 2;
export const TAU_G2 = 3;
