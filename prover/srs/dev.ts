// A locally generated SRS for development. Whoever ran this knew τ, so everything built on it
// is insecure; it exists so that tests and demos need no ceremony file.
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../../verifier/engine/bn254.js";
import { G1_BYTES } from "./ptau-file.js";
import { FR_BYTES, frPowers, type FrVec } from "../../verifier/engine/fr.js";
import { Domain } from "../poly/index.js";
import { randomScalar } from "../../verifier/engine/scalar.js";
import { wasmFunction } from "./points.js";
import { checkSize, makeSrs, type Srs } from "./srs.js";

// Fixed-base comb: [s]G = Σ_j T[j][s_j] with s_j the bytes of s and T[j][k] = k·2^(8j)·G, so one
// power costs ≤ 32 mixed additions instead of a 254-bit double-and-add (about 8× fewer group
// operations than ffjavascript's batchApplyKey, which multiplies each point by its full scalar).
const WINDOWS = 32;
const ENTRIES = 256;
const TABLE_BYTES = WINDOWS * ENTRIES * G1_BYTES; // 512 KiB
const JACOBIAN_BYTES = 96;
/** Powers per trip into the engine's main-thread memory (table + chunk stay under its 1.6 MB). */
const CHUNK = 1024;

/**
 * An SRS with `size` G1 powers of a random τ (or `opts.tau`, for tests), marked insecure. It keeps
 * τ to give the Lagrange bases of any domain it covers (`lagrangeBasis`): the SRS is insecure by
 * construction, so holding τ costs nothing, and the bases make commitments to small column
 * values cheap. τ must lie in 2 … r−1.
 */
export async function devSrs(size: number, opts: { tau?: bigint } = {}): Promise<Srs> {
  checkSize(size);
  const tau = opts.tau ?? randomTau();
  if (tau < 2n || tau >= R) throw new RangeError("a dev SRS needs τ in 2 … r−1");
  const c = await getEngine();
  const table = combTable(c);
  const g1 = await combPoints(c, table, await frPowers(tau, size));
  const g2TauEngine = c.G2.toAffine(c.G2.timesScalar(c.G2.g, tau));
  const srs = makeSrs(c, { g1, g2OneEngine: c.G2.toAffine(c.G2.g), g2TauEngine, insecure: true, source: "dev" });
  srs.lagrangeBasis = async (logSize) => {
    if (2 ** logSize > size) return undefined;
    // [L_i(τ)]₁ for the domain of 2^logSize: the scalars L_i(τ) are known here, then the same comb.
    return combPoints(c, table, await Domain.create(logSize).lagrangeEvaluations(tau));
  };
  return srs;
}

function randomTau(): bigint {
  const t = randomScalar();
  return t < 2n ? randomTau() : t;
}

/** T[j][k] = k·2^(8j)·G in affine LEM; T[j][0] is unused (zero). */
function combTable(c: Bn128): Uint8Array {
  const ex = {
    copy: wasmFunction(c, "g1m_copy"),
    add: wasmFunction(c, "g1m_add"),
    double: wasmFunction(c, "g1m_double"),
    toAffine: wasmFunction(c, "g1m_batchToAffine"),
  };
  c.tm.startSyncOp();
  try {
    const pTable = c.tm.alloc(TABLE_BYTES);
    const pRow = c.tm.alloc(ENTRIES * JACOBIAN_BYTES);
    const pBase = c.tm.alloc(JACOBIAN_BYTES);
    c.tm.u8.fill(0, pTable, pTable + TABLE_BYTES);
    c.tm.u8.set(c.G1.g, pBase);
    for (let j = 0; j < WINDOWS; j++) {
      ex.copy(pBase, pRow + JACOBIAN_BYTES);
      for (let k = 2; k < ENTRIES; k++) {
        ex.add(pRow + (k - 1) * JACOBIAN_BYTES, pBase, pRow + k * JACOBIAN_BYTES);
      }
      ex.toAffine(pRow + JACOBIAN_BYTES, ENTRIES - 1, pTable + (j * ENTRIES + 1) * G1_BYTES);
      for (let d = 0; d < 8; d++) ex.double(pBase, pBase);
    }
    return c.tm.u8.slice(pTable, pTable + TABLE_BYTES);
  } finally {
    c.tm.endSyncOp();
  }
}

/** [s_i]₁ for every scalar of `scalars` (Montgomery FrVec), affine LEM, chunk by chunk on the main thread. */
async function combPoints(c: Bn128, table: Uint8Array, scalars: FrVec): Promise<Uint8Array> {
  const count = scalars.length / FR_BYTES;
  const out = new Uint8Array(count * G1_BYTES);
  for (let first = 0; first < count; first += CHUNK) {
    combChunk(c, table, scalars.subarray(first * FR_BYTES, Math.min(count, first + CHUNK) * FR_BYTES), out, first);
    // The comb runs on the main thread: let other work (timers, I/O) through between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Writes [s]₁ for each Montgomery scalar s of `scalars` into `out`, from point `first` on. */
function combChunk(c: Bn128, table: Uint8Array, scalars: Uint8Array, out: Uint8Array, first: number): void {
  const zero = wasmFunction(c, "g1m_zero");
  const addMixed = wasmFunction(c, "g1m_addMixed");
  const toAffine = wasmFunction(c, "g1m_batchToAffine");
  const frFromMontgomery = wasmFunction(c, "frm_fromMontgomery");
  const count = scalars.length / FR_BYTES;
  c.tm.startSyncOp();
  try {
    const pTable = c.tm.alloc(TABLE_BYTES);
    const pOut = c.tm.alloc(count * JACOBIAN_BYTES);
    const pAffine = c.tm.alloc(count * G1_BYTES);
    const pScalars = c.tm.alloc(count * FR_BYTES);
    const pScalar = c.tm.alloc(FR_BYTES);
    const u8 = c.tm.u8;
    u8.set(table, pTable);
    u8.set(scalars, pScalars);
    for (let i = 0; i < count; i++) {
      const acc = pOut + i * JACOBIAN_BYTES;
      zero(acc);
      frFromMontgomery(pScalars + i * FR_BYTES, pScalar);
      for (let j = 0; j < WINDOWS; j++) {
        const k = u8[pScalar + j];
        if (k !== 0) addMixed(acc, pTable + (j * ENTRIES + k) * G1_BYTES, acc);
      }
    }
    toAffine(pOut, count, pAffine);
    out.set(u8.subarray(pAffine, pAffine + count * G1_BYTES), first * G1_BYTES);
  } finally {
    c.tm.endSyncOp();
  }
}
