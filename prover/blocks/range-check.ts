// 0 ≤ x < 2^bits, by a logUp lookup of (x, 0) into a table of the range (docs/protocol.md §4).
import type { CircuitBuilder} from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";

const { FIXED } = layout;

/** Table ids of range tables: 1 + bits, so every width has its own table. */
export function rangeTableId(bits: number): number {
  return 1 + bits;
}

function* rangeEntries(bits: number): Generator<readonly [bigint, bigint]> {
  for (let v = 0n; v < 1n << BigInt(bits); v++) yield [v, 0n] as const;
}

/** Constrains the value of `x` to lie in [0, 2^bits); adds the table on first use. */
export function rangeCheck(b: CircuitBuilder, x: Cell, bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 24) throw new CircuitError(`range check: ${bits} bits is not in 1…24`);
  const id = rangeTableId(bits);
  b.lookupTable(id, rangeEntries(bits));
  const row = b.row();
  b.setFixed(row, FIXED.qLK, BigInt(id));
  const cell = b.cell(WIRE.a, row);
  b.assign(cell, b.value(x));
  b.copy(x, cell);
}
