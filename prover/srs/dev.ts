// A locally generated SRS for development. Whoever ran this knew τ, so everything built on it
// is insecure; it exists so that tests and demos need no ceremony file.
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../engine/bn254.js";
import { G1_BYTES } from "./ptau-file.js";
import { FR_BYTES } from "../engine/fr.js";
import { randomScalar } from "../engine/scalar.js";
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
 * An SRS with `size` G1 powers of a random τ (or `opts.tau`, for tests), marked insecure.
 * τ must lie in 2 … r−1.
 */
export async function devSrs(size: number, opts: { tau?: bigint } = {}): Promise<Srs> {
  checkSize(size);
  const tau = opts.tau ?? randomTau();
  if (tau < 2n || tau >= R) throw new RangeError("a dev SRS needs τ in 2 … r−1");
  const c = await getEngine();
  const table = combTable(c);
  const g1 = new Uint8Array(size * G1_BYTES);
  let power = c.Fr.one; // τ^first, Montgomery
  const tauM = c.Fr.e(tau);
  for (let first = 0; first < size; first += CHUNK) {
    power = combChunk(c, table, g1, first, Math.min(CHUNK, size - first), power, tauM);
    // The comb runs on the main thread: let other work (timers, I/O) through between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const g2TauEngine = c.G2.toAffine(c.G2.timesScalar(c.G2.g, tau));
  return makeSrs(c, { g1, g2OneEngine: c.G2.toAffine(c.G2.g), g2TauEngine, insecure: true, source: "dev" });
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

/**
 * Writes [τ^first]₁ … [τ^(first+count−1)]₁ into `g1` and returns τ^(first+count) (Montgomery).
 * `power` is τ^first in Montgomery form.
 */
function combChunk(
  c: Bn128,
  table: Uint8Array,
  g1: Uint8Array,
  first: number,
  count: number,
  power: Uint8Array,
  tauM: Uint8Array,
): Uint8Array {
  const zero = wasmFunction(c, "g1m_zero");
  const addMixed = wasmFunction(c, "g1m_addMixed");
  const toAffine = wasmFunction(c, "g1m_batchToAffine");
  const frMul = wasmFunction(c, "frm_mul");
  const frFromMontgomery = wasmFunction(c, "frm_fromMontgomery");
  c.tm.startSyncOp();
  try {
    const pTable = c.tm.alloc(TABLE_BYTES);
    const pOut = c.tm.alloc(count * JACOBIAN_BYTES);
    const pAffine = c.tm.alloc(count * G1_BYTES);
    const pPower = c.tm.alloc(FR_BYTES);
    const pTau = c.tm.alloc(FR_BYTES);
    const pScalar = c.tm.alloc(FR_BYTES);
    const u8 = c.tm.u8;
    u8.set(table, pTable);
    u8.set(power, pPower);
    u8.set(tauM, pTau);
    for (let i = 0; i < count; i++) {
      const acc = pOut + i * JACOBIAN_BYTES;
      zero(acc);
      frFromMontgomery(pPower, pScalar);
      for (let j = 0; j < WINDOWS; j++) {
        const k = u8[pScalar + j];
        if (k !== 0) addMixed(acc, pTable + (j * ENTRIES + k) * G1_BYTES, acc);
      }
      frMul(pPower, pTau, pPower);
    }
    toAffine(pOut, count, pAffine);
    g1.set(u8.subarray(pAffine, pAffine + count * G1_BYTES), first * G1_BYTES);
    return u8.slice(pPower, pPower + FR_BYTES);
  } finally {
    c.tm.endSyncOp();
  }
}
