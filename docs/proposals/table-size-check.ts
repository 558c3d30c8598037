// Numerical check of the step formulas of docs/proposals/table-size.md (§4.3, §7.1): the running
// sum's steps N_F/D_F over every row of a slot-packed weight product, an activation product and a
// width-packed product sum to 0 over Fr for honest tables, and not for tampered ones.
// Run: npx tsx docs/proposals/table-size-check.ts (exits 1 if a check fails).
const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const mod = (x: bigint): bigint => ((x % r) + r) % r;
function inv(x: bigint): bigint {
  let [b, e, acc] = [mod(x), r - 2n, 1n];
  for (; e > 0n; e >>= 1n, b = (b * b) % r) if (e & 1n) acc = (acc * b) % r;
  return acc;
}
let seed = 7n; // a small deterministic generator; the challenges only need to be "random enough" here
const rand = (bound: bigint): bigint => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n) % bound;
const small = (): bigint => rand(200n) - 100n;
const challenge = (): bigint => mod(rand(2n ** 64n) * 0x9e3779b97f4a7c15n + rand(2n ** 64n));

const K = 4;
const [beta, gamma, delta, lambda, mu] = [challenge(), challenge(), challenge(), challenge(), challenge()];
const kappa = Array.from({ length: K }, (_, t) => mod(lambda * inv(lambda - BigInt(t)))); // κ_0 = 1

/** A row: selectors, indices (id_a, id_b, id_c) and values. */
interface Row { fw?: 1; fwt?: 1; fx?: 1; fx3?: 1; fy?: 1; fuv?: 1; ia?: bigint; ib?: bigint; ic?: bigint; a?: bigint; b?: bigint; c?: bigint; w?: bigint; u?: bigint; v?: bigint }

/** G3's step on one row: N_F / D_F with D_F, N_F as in the proposal's §4.3 (plus q_fx3 of §7.1). */
function step(q: Row): bigint {
  const [fw, fwt, fx, fx3, fy, fuv] = [q.fw, q.fwt, q.fx, q.fx3, q.fy, q.fuv].map((s) => BigInt(s ?? 0));
  const [ia, ib, ic, a, b, c, w, u, v] = [q.ia, q.ib, q.ic, q.a, q.b, q.c, q.w, q.u, q.v].map((x) => x ?? 0n);
  const S = fw + fwt + fx + fx3 + fy + fuv;
  const D = mod(1n - S + (fw + fwt) * (beta - ia) * (gamma - ib) + (fx + fx3) * (gamma - ia) * (delta - ib)
    + (beta - ia) * (delta - ib) * (fy - inv(lambda) * ic) + fuv * (gamma - ia));
  const N = mod(-fwt * w - fw * a - mu * fx * c - mu * fx3 * (c + kappa[1] * a + kappa[2] * b)
    - mu * mu * fy * c + fuv * (u + mu * v + mu * mu * u * v * (gamma - ia)));
  if (D === 0n) throw new Error("pole");
  return mod(N * inv(D));
}
const total = (rows: Row[]): bigint => rows.reduce((s, row) => mod(s + step(row)), 0n);
const matrix = (m: number, n: number): bigint[][] => Array.from({ length: m }, () => Array.from({ length: n }, small));
const product = (A: bigint[][], B: bigint[][]): bigint[][] => A.map((row) => B[0].map((_, p) => mod(row.reduce((s, x, j) => s + x * B[j][p], 0n))));
const ids = (base: number, count: number): bigint[] => Array.from({ length: count }, (_, i) => BigInt(base + i));

/** UV rows from the honest u = Σ_i W_ij·e_i and v = Σ_p X_jp·g_p. */
function uvRows(W: bigint[][], X: bigint[][], J: bigint[], e: (i: number) => bigint, g: (p: number) => bigint): Row[] {
  return J.map((j, jj) => ({
    fuv: 1, ia: j,
    u: mod(W.reduce((s, row, i) => s + row[jj] * e(i), 0n)),
    v: mod(X[jj].reduce((s, x, p) => s + x * g(p), 0n)),
  }));
}

/** Y = W·X with the output rows packed K to a weight row (slot t = i mod K). */
function slotPacked(m: number, d: number, P: number, base: number, tamper?: "y" | "w"): Row[] {
  const [W, X] = [matrix(m, d), matrix(d, P)];
  const Y = product(W, X);
  const [Ib, J, Pp] = [ids(base, Math.ceil(m / K)), ids(base + 100, d), ids(base + 200, P)];
  if (tamper === "y") Y[m - 1][0] = mod(Y[m - 1][0] + 1n);
  const table = W.map((row) => [...row]);
  if (tamper === "w") table[1][0] += 1n; // the committed weight is not the one Y was computed with
  const rows: Row[] = [];
  for (let ibi = 0; ibi < Ib.length; ibi++) {
    for (let j = 0; j < d; j++) {
      let w = 0n;
      for (let t = 0; t < K && ibi * K + t < m; t++) w += kappa[t] * table[ibi * K + t][j];
      rows.push({ fwt: 1, ia: Ib[ibi], ib: J[j], w: mod(w) });
    }
  }
  for (let j = 0; j < d; j++) for (let p = 0; p < P; p++) rows.push({ fx: 1, ia: J[j], ib: Pp[p], c: mod(X[j][p]) });
  for (let i = 0; i < m; i++) for (let p = 0; p < P; p++) rows.push({ fy: 1, ia: Ib[Math.floor(i / K)], ib: Pp[p], ic: BigInt(i % K), c: Y[i][p] });
  return [...rows, ...uvRows(W, X, J, (i) => mod(kappa[i % K] * inv(beta - Ib[Math.floor(i / K)])), (p) => inv(delta - Pp[p]))];
}

/** Y = A·X for an activation A (W rows read a; slot 0). */
function activation(m: number, d: number, P: number, base: number, tamper?: "y"): Row[] {
  const [A, X] = [matrix(m, d), matrix(d, P)];
  const Y = product(A, X);
  if (tamper === "y") Y[0][0] = mod(Y[0][0] + 5n);
  const [I, J, Pp] = [ids(base, m), ids(base + 100, d), ids(base + 200, P)];
  const rows: Row[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) rows.push({ fw: 1, ia: I[i], ib: J[j], a: mod(A[i][j]) });
  for (let j = 0; j < d; j++) for (let p = 0; p < P; p++) rows.push({ fx: 1, ia: J[j], ib: Pp[p], c: mod(X[j][p]) });
  for (let i = 0; i < m; i++) for (let p = 0; p < P; p++) rows.push({ fy: 1, ia: I[i], ib: Pp[p], ic: 0n, c: Y[i][p] });
  return [...rows, ...uvRows(A, X, J, (i) => inv(beta - I[i]), (p) => inv(delta - Pp[p]))];
}

/** Weights unpacked (slot 0); each X row holds three output positions in c, a, b (slots 0, 1, 2). */
function widthPacked(m: number, d: number, P: number, base: number, tamper?: "x"): Row[] {
  const [W, X] = [matrix(m, d), matrix(d, P)];
  const Y = product(W, X);
  const cells = X.map((row) => [...row]);
  if (tamper === "x") cells[0][4] += 1n;
  const [I, J, Pb] = [ids(base, m), ids(base + 100, d), ids(base + 200, P / 3)];
  const rows: Row[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) rows.push({ fwt: 1, ia: I[i], ib: J[j], w: mod(W[i][j]) });
  for (let j = 0; j < d; j++) {
    for (let pb = 0; pb < P / 3; pb++) rows.push({ fx3: 1, ia: J[j], ib: Pb[pb], c: mod(cells[j][3 * pb]), a: mod(cells[j][3 * pb + 1]), b: mod(cells[j][3 * pb + 2]) });
  }
  for (let i = 0; i < m; i++) for (let p = 0; p < P; p++) rows.push({ fy: 1, ia: I[i], ib: Pb[Math.floor(p / 3)], ic: BigInt(p % 3), c: Y[i][p] });
  return [...rows, ...uvRows(W, X, J, (i) => inv(beta - I[i]), (p) => mod(kappa[p % 3] * inv(delta - Pb[Math.floor(p / 3)])))];
}

const checks: [string, bigint, boolean][] = [
  ["honest: slot-packed (m = 10, K = 4), activation, width-packed", total([...slotPacked(10, 7, 1, 1000), ...activation(3, 4, 2, 5000), ...widthPacked(4, 5, 6, 9000)]), true],
  ["honest: slot-packed with m = 9, P = 3", total(slotPacked(9, 5, 3, 1000)), true],
  ["slot-packed, Y changed in one slot", total(slotPacked(10, 7, 1, 1000, "y")), false],
  ["slot-packed, committed weight differs", total(slotPacked(10, 7, 1, 1000, "w")), false],
  ["activation, Y changed", total(activation(3, 4, 2, 5000, "y")), false],
  ["width-packed, an im2col cell changed", total(widthPacked(4, 5, 6, 9000, "x")), false],
];
let failed = false;
for (const [what, sum, honest] of checks) {
  const ok = honest ? sum === 0n : sum !== 0n;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: sum ${sum === 0n ? "= 0" : "≠ 0"}`);
}
process.exit(failed ? 1 : 0);
