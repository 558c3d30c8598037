// One column of the circuit being laid out (a wire, a fixed column or a weight slot), indexed by row.
// Almost every value a lowering sets is a small signed integer (quantized values, selectors, indices),
// so each row holds its signed representative in a flat Float64Array (exact up to 2^53 in magnitude);
// the few that are not (Poseidon constants, hashes) sit in a Map beside it. A BigInt per cell held in
// a Map or an array cost ~85 bytes a cell and made compile run out of heap on large models.
import { ownKernels, R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frSet, type FrVec } from "../../verifier/engine/fr.js";
import { integersToFrVec } from "../engine/wasm/index.js";
import { frMod } from "../../verifier/engine/scalar.js";

// |s| ≤ 2^53 is exact in a double.
const SMALL = 2n ** 53n;
const SMALL_NUMBER = 2 ** 53;
const MIN_CAPACITY = 1024;

export class FieldColumn {
  // The signed representative s of each row's value v (v ≡ s mod r); NaN: the value is in #large.
  #small = new Float64Array(0);
  #large = new Map<number, bigint>();
  // 1 + the highest row set.
  #length = 0;
  // Rows set at all (even to 0), kept only when asked for: a wire's cell counts as used once assigned.
  #present: Uint8Array | undefined;

  constructor(options: { trackPresence?: boolean } = {}) {
    if (options.trackPresence) this.#present = new Uint8Array(0);
  }

  /** 1 + the highest row set (0 when none). */
  get length(): number {
    return this.#length;
  }

  /** Sets `row` to value mod r. */
  set(row: number, value: bigint): void {
    if (row >= this.#small.length) this.#grow(row + 1);
    if (row >= this.#length) this.#length = row + 1;
    if (this.#present) this.#present[row] = 1;
    let s: number;
    if (value >= -SMALL && value <= SMALL) s = Number(value);
    else {
      const v = frMod(value);
      if (v <= SMALL) s = Number(v);
      else if (R - v <= SMALL) s = -Number(R - v);
      else {
        this.#small[row] = NaN;
        this.#large.set(row, v);
        return;
      }
    }
    // -0 would read back as 0n anyway; keep the store canonical.
    this.#small[row] = s === 0 ? 0 : s;
    if (this.#large.size > 0) this.#large.delete(row);
  }

  /** The value at `row` in [0, r) (0 when unset). */
  get(row: number): bigint {
    if (row >= this.#length) return 0n;
    const s = this.#small[row];
    if (s >= 0) return BigInt(s);
    if (s < 0) return R - BigInt(-s);
    return this.#large.get(row)!;
  }

  isZero(row: number): boolean {
    return row >= this.#length || this.#small[row] === 0;
  }

  isOne(row: number): boolean {
    return row < this.#length && this.#small[row] === 1;
  }

  /** Whether `row` was ever set (only with trackPresence). */
  has(row: number): boolean {
    if (!this.#present) throw new Error("FieldColumn: presence is not tracked");
    return row < this.#length && this.#present[row] === 1;
  }

  /**
   * The column as an Fr vector of n rows, each non-zero value at row `place(row)` (the row itself when
   * absent); `place` throws on a row that cannot go where it points. The values are written as plain
   * integers and converted to Montgomery form in one kernel pass, not by a bigint product per cell
   * (a repeated build of the small CNN's table: ~50 → ~30 ms of CPU).
   */
  toFrVec(n: number, place?: (row: number) => number): FrVec {
    const out = new Uint8Array(n * FR_BYTES);
    const kernels = ownKernels();
    // With the kernels: the non-zero values packed (most columns are sparse), converted, then placed.
    const at = new Int32Array(kernels ? this.#length : 0);
    const packed = new Uint8Array(kernels ? this.#length * FR_BYTES : 0);
    const words = new Uint32Array(packed.buffer);
    let count = 0;
    const small = this.#small;
    for (let row = 0; row < this.#length; row++) {
      const s = small[row];
      if (s === 0) continue;
      const to = place ? place(row) : row;
      if (to >= n) throw new RangeError(`row ${to} of a column of ${n} rows`);
      if (!kernels) {
        frSet(out, to, this.get(row));
        continue;
      }
      if (s > 0) setSmall(words, count * WORDS, s);
      else if (s < 0) setNegative(words, count * WORDS, -s);
      else setWide(words, count * WORDS, this.#large.get(row)!);
      at[count++] = to;
    }
    if (count > 0) {
      const converted = integersToFrVec(packed.subarray(0, count * FR_BYTES));
      for (let i = 0; i < count; i++) out.set(converted.subarray(i * FR_BYTES, (i + 1) * FR_BYTES), at[i] * FR_BYTES);
    }
    return out;
  }

  /** Calls fn for every row holding a non-zero value, in row order. */
  forEachNonZero(fn: (row: number) => void): void {
    const small = this.#small;
    for (let row = 0; row < this.#length; row++) if (small[row] !== 0) fn(row);
  }

  /** Calls fn for every row ever set (only with trackPresence), in row order. */
  forEachSet(fn: (row: number) => void): void {
    const present = this.#present;
    if (!present) throw new Error("FieldColumn: presence is not tracked");
    for (let row = 0; row < this.#length; row++) if (present[row] === 1) fn(row);
  }

  #grow(atLeast: number): void {
    // ×1.5: the old and the new store live side by side while copying.
    const capacity = Math.max(MIN_CAPACITY, atLeast, Math.ceil(this.#small.length * 1.5));
    if (capacity > SMALL_NUMBER) throw new RangeError(`column of ${capacity} rows`);
    const small = new Float64Array(capacity);
    small.set(this.#small.subarray(0, this.#length));
    this.#small = small;
    if (this.#present) {
      const present = new Uint8Array(capacity);
      present.set(this.#present.subarray(0, this.#length));
      this.#present = present;
    }
  }
}

// An element as eight little-endian 32-bit words of its integer value (integersToFrVec's input).
const WORDS = FR_BYTES / 4;
const WORD = 2 ** 32;
const R_WORDS = Array.from({ length: WORDS }, (_, i) => Number((R >> BigInt(32 * i)) & 0xffffffffn));

/** 0 < s < 2^53. */
function setSmall(words: Uint32Array, at: number, s: number): void {
  words[at] = s % WORD;
  words[at + 1] = Math.floor(s / WORD);
}

/** r − a, for 0 < a ≤ 2^53. */
function setNegative(words: Uint32Array, at: number, a: number): void {
  let borrow = 0;
  for (let i = 0; i < WORDS; i++) {
    const sub = i === 0 ? a % WORD : i === 1 ? Math.floor(a / WORD) : 0;
    let d = R_WORDS[i] - sub - borrow;
    borrow = d < 0 ? 1 : 0;
    if (borrow) d += WORD;
    words[at + i] = d;
  }
}

/** 0 ≤ v < r. */
function setWide(words: Uint32Array, at: number, v: bigint): void {
  for (let i = 0; i < WORDS; i++, v >>= 32n) words[at + i] = Number(v & 0xffffffffn);
}
