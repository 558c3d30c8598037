// Row placement: merges rows of ordinary gates ("guests") into open Freivalds rows ("hosts") whose
// wires, arithmetic gate and lookup the protocol leaves unused, and closes the gaps. Weight rows
// (q_fwt) and UV rows (q_fuv) are such rows: gate G3 reads a weight row's Ŵ′ and a UV row's u, v,
// never their a, b, c (docs/protocol.md §3.6, §4.5), so a guest's gates hold there exactly as in a
// row of their own, and the guest touches no column G3 reads (docs/blocks.md, "Open rows").
// The layout depends only on which fixed columns a row sets, never on witness values.

export interface RowRoles {
  /** Logical rows the builder allocated. */
  rows: number;
  /** A Freivalds row whose wires, arithmetic gate, lookup and copies nothing uses. */
  isHost(row: number): boolean;
  /** A row with no Freivalds role (no Freivalds selector or index, no weight), not a public-input row. */
  isGuest(row: number): boolean;
  /** The row's gate reads the next row's a (q_n ≠ 0), so the two must stay adjacent. */
  readsNext(row: number): boolean;
}

export interface Placement {
  /** Physical row of each logical row. */
  map: Int32Array;
  /** Physical rows used. */
  rows: number;
  /** Logical rows merged into hosts. */
  hosted: number;
}

/**
 * Places guest rows into host rows. A guest moves as a unit with every row its gates link to
 * through q_n (a maximal run r, r + 1, … in which each row but the last reads the next), so the
 * unit lands on consecutive host rows and every a(ωX) still reads the row it read before. Units go
 * first-fit, in logical order, into the runs of consecutive hosts; the other rows keep their
 * order, shifted up over the rows that moved.
 */
export function placeRows(roles: RowRoles): Placement {
  const { rows } = roles;
  const map = new Int32Array(rows);
  const moved = new Int32Array(rows).fill(-1);
  // Runs of consecutive hosts, each with a cursor.
  const runs: { next: number; end: number }[] = [];
  for (let r = 0; r < rows; r++) {
    if (!roles.isHost(r)) continue;
    const last = runs[runs.length - 1];
    if (last && last.end === r) last.end = r + 1;
    else runs.push({ next: r, end: r + 1 });
  }
  let hosted = 0;
  let firstOpen = 0;
  for (let start = 0; start < rows && firstOpen < runs.length; ) {
    let end = start;
    let movable = roles.isGuest(start);
    while (roles.readsNext(end)) {
      end++;
      // A gate reading past the last row reads row 0 (cyclically): such a unit stays put.
      if (end >= rows) {
        movable = false;
        end = rows - 1;
        break;
      }
      movable &&= roles.isGuest(end);
    }
    const length = end - start + 1;
    if (movable) {
      while (firstOpen < runs.length && runs[firstOpen].next === runs[firstOpen].end) firstOpen++;
      let run: { next: number; end: number } | undefined;
      for (let i = firstOpen; i < runs.length && !run; i++) if (runs[i].end - runs[i].next >= length) run = runs[i];
      if (run) {
        for (let r = start; r <= end; r++) moved[r] = run.next++;
        hosted += length;
      }
    }
    start = end + 1;
  }
  let shift = 0;
  for (let r = 0; r < rows; r++) {
    if (moved[r] >= 0) shift++;
    else map[r] = r - shift;
  }
  for (let r = 0; r < rows; r++) if (moved[r] >= 0) map[r] = map[moved[r]];
  return { map, rows: rows - hosted, hosted };
}
