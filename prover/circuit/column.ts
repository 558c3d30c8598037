// One column of the circuit being laid out (a wire, a fixed column or a weight slot), indexed by row.
// Almost every value a lowering sets is a small signed integer (quantized values, selectors, indices),
// so each row holds its signed representative in a flat Float64Array (exact up to 2^53 in magnitude);
// the few that are not (Poseidon constants, hashes) sit in a Map beside it. A BigInt per cell held in
// a Map or an array cost ~85 bytes a cell and made compile run out of heap on large models.
import { R } from "../../verifier/engine/bn254.js";
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
