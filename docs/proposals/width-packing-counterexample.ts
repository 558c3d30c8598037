// Review of docs/proposals/table-size.md §7.1 (width packing sharing λ with slot packing).
// A width-packed product keeps its weights "in slot 0", but the slots 1..K-1 of its weight rows
// are private and unchecked. A hidden weight in slot 1 makes the weight row's entry W0 + κ1·W1,
// and κ1·κs decomposes onto the Y-row slot factors (κt·κs = (t·κt − s·κs)/(t − s)), so the
// Freivalds running sum accepts outputs that are not a convolution (different kernels at
// different output positions), whenever W1·X(·, slot 1) = 0 (the only double pole).
// Run: npx tsx docs/proposals/width-packing-counterexample.ts   (prints the sum; 0 means the tampered table is accepted)
const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const mod = (x: bigint): bigint => ((x % r) + r) % r;
function inv(x: bigint): bigint {
  let [b, e, acc] = [mod(x), r - 2n, 1n];
  for (; e > 0n; e >>= 1n, b = (b * b) % r) if (e & 1n) acc = (acc * b) % r;
  return acc;
}
let seed = 12345n;
const rand = (bound: bigint): bigint => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n) % bound;
const small = (): bigint => mod(rand(200n) - 100n);
const challenge = (): bigint => mod(rand(2n ** 64n) * 0x9e3779b97f4a7c15n + rand(2n ** 64n));
const K = 4;
const [beta, gamma, delta, lambda, mu] = [challenge(), challenge(), challenge(), challenge(), challenge()];
const kappa = Array.from({ length: K }, (_, t) => mod(lambda * inv(lambda - BigInt(t))));

// G3's step per row kind, D_F and N_F of the proposal §4.3 + §7.1.
const stepW = (i: bigint, j: bigint, w: bigint) => mod(-w * inv((beta - i) * (gamma - j)));
const stepX3 = (j: bigint, pb: bigint, c: bigint, a: bigint, b: bigint) =>
  mod(-mu * (c + kappa[1] * a + kappa[2] * b) * inv((gamma - j) * (delta - pb)));
const stepY = (i: bigint, pb: bigint, s: bigint, c: bigint) =>
  mod(-mu * mu * c * inv(mod((beta - i) * (delta - pb) * (1n - s * inv(lambda)))));
const stepUV = (j: bigint, u: bigint, v: bigint) => mod((u + mu * v + mu * mu * u * v * (gamma - j)) * inv(gamma - j));

const m = 2, d = 5, Pb = 2, P = 3 * Pb;
const W0 = Array.from({ length: m }, () => Array.from({ length: d }, small));
const X = Array.from({ length: d }, () => Array.from({ length: P }, small));
// Hidden slot-1 weights with W1[i]·X[:, 3pb+1] = 0 for every pb: free j = 2..4, solve j = 0, 1.
const W1 = W0.map(() => {
  const w = [0n, 0n, small(), small(), small()];
  const rhs = [0, 1].map((pb) => mod(-[2, 3, 4].reduce((s, j) => s + w[j] * X[j][3 * pb + 1], 0n)));
  const [a00, a01, a10, a11] = [X[0][1], X[1][1], X[0][4], X[1][4]];
  const det = inv(mod(a00 * a11 - a01 * a10));
  w[0] = mod((rhs[0] * a11 - a01 * rhs[1]) * det);
  w[1] = mod((a00 * rhs[1] - a10 * rhs[0]) * det);
  return w;
});
const dot = (w: bigint[], p: number) => mod(w.reduce((s, x, j) => s + x * X[j][p], 0n));
// Outputs the verifier accepts: Y0 = W0·X0, Y1 = W0·X1 + W1·(X0 − X2), Y2 = W0·X2 + 2·W1·X2.
const Y = W0.map((w0, i) => Array.from({ length: P }, (_, p) => {
  const pb = Math.floor(p / 3), s = p % 3, w1 = W1[i];
  if (s === 0) return dot(w0, p);
  if (s === 1) return mod(dot(w0, p) + dot(w1, 3 * pb) - dot(w1, 3 * pb + 2));
  return mod(dot(w0, p) + 2n * dot(w1, p));
}));
const [I, J, PB] = [[0n, 1n], [100n, 101n, 102n, 103n, 104n], [200n, 201n]];
let sum = 0n;
const add = (x: bigint) => (sum = mod(sum + x));
for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) add(stepW(I[i], J[j], mod(W0[i][j] + kappa[1] * W1[i][j])));
for (let j = 0; j < d; j++) for (let pb = 0; pb < Pb; pb++) add(stepX3(J[j], PB[pb], X[j][3 * pb], X[j][3 * pb + 1], X[j][3 * pb + 2]));
for (let i = 0; i < m; i++) for (let p = 0; p < P; p++) add(stepY(I[i], PB[Math.floor(p / 3)], BigInt(p % 3), Y[i][p]));
// Honest phase-2 vectors for the committed table: u = W̃ᵀe (both slots), v = X̃g (κ on the p side).
for (let j = 0; j < d; j++) {
  const u = mod(I.reduce((s, i, ii) => s + (W0[ii][j] + kappa[1] * W1[ii][j]) * inv(beta - i), 0n));
  const v = mod(Array.from({ length: P }, (_, p) => X[j][p] * kappa[p % 3] * inv(delta - PB[Math.floor(p / 3)])).reduce((a, b) => a + b, 0n));
  add(stepUV(J[j], u, v));
}
const differs = Y.some((row, i) => row.some((y, p) => y !== dot(W0[i], p)));
const notConv = Y.some((row, i) => row.some((y, p) => p % 3 === 2 && y !== dot(W0[i], p)));
console.log(`running sum over the table: ${sum === 0n ? "0 (ACCEPTED)" : "≠ 0 (rejected)"}`);
console.log(`accepted Y differs from W0·X: ${differs}; kernel at positions ≡ 2 mod 3 is W0 + 2·W1: ${notConv}`);
process.exit(sum === 0n && differs ? 0 : 1);
