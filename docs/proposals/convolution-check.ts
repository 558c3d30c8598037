// Numerical check of docs/proposals/convolution.md: a convolution checked by the Freivalds running
// sum with one row per input cell, per output coefficient and per kernel tap (no im2col copies).
// Every row of the layout of §3 is built (weight, X, Y and junk, ones and UV rows, with the step
// column s and the power column P = ψ^E it defines), each row's step N_F/D_F is computed with the
// D_F and N_F of §2.3 over Fr (BN254), and the steps must sum to 0 for honest tables (stride,
// padding, dilation, groups, bias) and not for tampered ones. It then attempts the attacks of §5
// and prints the row counts of §6 for the issue-19 models' convolutions.
// Run: npx tsx docs/proposals/convolution-check.ts (exits 1 if a check fails).
const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const mod = (x: bigint): bigint => ((x % r) + r) % r;
function pow(b: bigint, e: bigint): bigint {
  let acc = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = (b * b) % r) if (e & 1n) acc = (acc * b) % r;
  return acc;
}
function inv(x: bigint): bigint {
  let [a, b, u, v] = [mod(x), r, 1n, 0n]; // extended Euclid: u·x ≡ a (mod r) throughout
  if (a === 0n) throw new Error("pole");
  while (a !== 1n) {
    const q = b / a;
    [a, b, u, v] = [b - q * a, a, v - q * u, u];
  }
  return mod(u);
}
let seed = 2026n; // deterministic pseudo-random values; the challenges only need to look random here
const rand = (bound: bigint): bigint => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n) % bound;
const small = (): bigint => mod(rand(200n) - 100n);
const challenge = (): bigint => mod(rand(2n ** 64n) * 0x9e3779b97f4a7c15n + rand(2n ** 64n));
const K = 4; // slots per weight row (protocol v5)

interface Challenges { beta: bigint; gamma: bigint; delta: bigint; lambda: bigint; mu: bigint; psi: bigint }
const draw = (): Challenges => ({ beta: challenge(), gamma: challenge(), delta: challenge(), lambda: challenge(), mu: challenge(), psi: challenge() });
const kappa = (ch: Challenges, t: number): bigint => mod(ch.lambda * inv(ch.lambda - BigInt(t)));

/** A convolution: NCHW input, OIHW kernel (I = cin / groups), symmetric stride/dilation per axis. */
interface Conv { cin: number; cout: number; h: number; w: number; kh: number; kw: number; sy: number; sx: number; dy: number; dx: number; pt: number; pb: number; pl: number; pr: number; groups: number; bias: boolean }
const conv = (c: Partial<Conv> & Pick<Conv, "cin" | "cout" | "h" | "w" | "kh" | "kw">): Conv =>
  ({ sy: 1, sx: 1, dy: 1, dx: 1, pt: 0, pb: 0, pl: 0, pr: 0, groups: 1, bias: false, ...c });
const outH = (c: Conv): number => Math.floor((c.h + c.pt + c.pb - c.dy * (c.kh - 1) - 1) / c.sy) + 1;
const outW = (c: Conv): number => Math.floor((c.w + c.pl + c.pr - c.dx * (c.kw - 1) - 1) / c.sx) + 1;

/**
 * The flattening of §3.1: padded cell (Y, X) = (iy + pt, ix + pl) goes to phase (Y mod sy, X mod sx)
 * at sub-grid cell (⌊Y/sy⌋, ⌊X/sx⌋), exponent ⌊Y/sy⌋·L + ⌊X/sx⌋. Tap (ky, kx) reads phase
 * (dy·ky mod sy, dx·kx mod sx) at offset δ = ⌊dy·ky/sy⌋·L + ⌊dx·kx/sx⌋; its weight sits at exponent
 * D − δ (D the largest δ); output (py, px) is the coefficient at D + py·L + px.
 */
interface Flat { L: number; D: number; phases: number; cell: (iy: number, ix: number) => { phase: number; e: number }; tap: (ky: number, kx: number) => { phase: number; off: number }; out: (py: number, px: number) => number }
function flatten(c: Conv, L: number): Flat {
  const tap = (ky: number, kx: number) => ({
    phase: ((c.dy * ky) % c.sy) * c.sx + ((c.dx * kx) % c.sx),
    off: Math.floor((c.dy * ky) / c.sy) * L + Math.floor((c.dx * kx) / c.sx),
  });
  const D = tap(c.kh - 1, c.kw - 1).off;
  return {
    L, D, phases: c.sy * c.sx, tap,
    cell: (iy, ix) => {
      const [Y, X] = [iy + c.pt, ix + c.pl];
      return { phase: (Y % c.sy) * c.sx + (X % c.sx), e: Math.floor(Y / c.sy) * L + Math.floor(X / c.sx) };
    },
    out: (py, px) => D + py * L + px,
  };
}

/** True if, under row stride L, every valid output's coefficient is exactly its convolution (no real cell aliases into it). */
function aliasFree(c: Conv, f: Flat): boolean {
  const byExp = new Map<string, string>(); // (phase, product exponent) of every real cell × tap of that phase → the (cell, tap) pairs
  for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) {
    const cell = f.cell(iy, ix);
    for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
      const t = f.tap(ky, kx);
      if (t.phase !== cell.phase) continue;
      const key = `${cell.e + f.D - t.off}`;
      byExp.set(key, `${byExp.get(key) ?? ""}|${iy},${ix},${ky},${kx}`);
    }
  }
  for (let py = 0; py < outH(c); py++) for (let px = 0; px < outW(c); px++) {
    for (const pair of (byExp.get(`${f.out(py, px)}`) ?? "").split("|").slice(1)) {
      const [iy, ix, ky, kx] = pair.split(",").map(Number);
      if (iy + c.pt !== c.sy * py + c.dy * ky || ix + c.pl !== c.sx * px + c.dx * kx) return false;
    }
  }
  return true;
}
/** The smallest row stride whose flattening is alias-free (padding cells may be shared between rows, §3.1). */
function rowStride(c: Conv): Flat {
  for (let L = Math.ceil(c.w / c.sx); ; L++) {
    const f = flatten(c, L);
    if (aliasFree(c, f)) return f;
  }
}

type Tensor = bigint[];
const at4 = (dims: number[], i: number[]): number => i.reduce((s, x, k) => s * dims[k] + x, 0);
/** The reference convolution (integers mod r). */
function reference(c: Conv, x: Tensor, W: Tensor, b: Tensor): Tensor {
  const [Ho, Wo, g] = [outH(c), outW(c), c.cin / c.groups];
  const y: Tensor = [];
  for (let o = 0; o < c.cout; o++) for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) {
    let s = c.bias ? b[o] : 0n;
    const grp = Math.floor(o / (c.cout / c.groups));
    for (let ci = 0; ci < g; ci++) for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
      const [iy, ix] = [c.sy * py + c.dy * ky - c.pt, c.sx * px + c.dx * kx - c.pl];
      if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
      s += W[at4([c.cout, g, c.kh, c.kw], [o, ci, ky, kx])] * x[at4([c.cin, c.h, c.w], [grp * g + ci, iy, ix])];
    }
    y.push(mod(s));
  }
  return y;
}

/** One row of the table: its Freivalds kind, indices, exponent E (P = ψ^E) and values. */
interface Row { kind: "w" | "x" | "y" | "uv" | "plain"; ia?: bigint; ib?: bigint; ic?: bigint; E: number; c?: bigint; slots?: bigint[]; u?: bigint; v?: bigint; note?: string }

/** Everything the prover fixes in phase 1 (and the owner in the VK): inputs, outputs, junk, weights. */
interface Instance { c: Conv; f: Flat; x: Tensor; W: Tensor; b: Tensor; y: Tensor; junk: Map<string, bigint> }

function instance(c: Conv): Instance {
  const f = rowStride(c);
  const g = c.cin / c.groups;
  const x = Array.from({ length: c.cin * c.h * c.w }, small);
  const W = Array.from({ length: c.cout * g * c.kh * c.kw }, small);
  const b = Array.from({ length: c.cout }, small);
  const y = reference(c, x, W, b);
  return { c, f, x, W, b, y, junk: fullProduct(c, f, x, W, b) };
}

/** The coefficients of Σ_j W̃_(o,j)(Z)·X̃_j(Z) at the positions that are not valid outputs: the junk rows' honest values. */
function fullProduct(c: Conv, f: Flat, x: Tensor, W: Tensor, b: Tensor, keepOutputs = false): Map<string, bigint> {
  const g = c.cin / c.groups;
  const coeff = new Map<string, bigint>();
  const add = (o: number, e: number, v: bigint) => coeff.set(`${o}:${e}`, mod((coeff.get(`${o}:${e}`) ?? 0n) + v));
  for (let o = 0; o < c.cout; o++) {
    const grp = Math.floor(o / (c.cout / c.groups));
    for (let ci = 0; ci < g; ci++) for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) {
      const cell = f.cell(iy, ix);
      for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
        const t = f.tap(ky, kx);
        if (t.phase === cell.phase) add(o, cell.e + f.D - t.off, W[at4([c.cout, g, c.kh, c.kw], [o, ci, ky, kx])] * x[at4([c.cin, c.h, c.w], [grp * g + ci, iy, ix])]);
      }
    }
    if (c.bias) for (let py = 0; py < outH(c); py++) for (let px = 0; px < outW(c); px++) add(o, f.out(py, px), b[o]);
  }
  if (!keepOutputs) for (let o = 0; o < c.cout; o++) for (let py = 0; py < outH(c); py++) for (let px = 0; px < outW(c); px++) coeff.delete(`${o}:${f.out(py, px)}`);
  return coeff;
}

/**
 * The rows of one convolution (§3.2): per group, output index i_b = (group, o_b) with K slots; inner
 * index j = (channel, phase) and one more for the bias (a "ones" channel); the single column index p₀.
 * Weight rows (i_b, j) at exponent D − δ per tap, X rows (j, p₀) per real input cell at its exponent,
 * ones rows at exponent py·L + px, Y rows per output at D + py·L + px and junk rows (Y rows holding
 * the other product coefficients). UV rows hold the honest u, v for the challenges.
 */
function layout(inst: Instance, ch: Challenges, opts: { weights?: Tensor; unreadSlot?: bigint; per?: number; shift?: number; onesAt?: [number, bigint]; xAt?: [number, number] } = {}): Row[] {
  const { c, f } = inst;
  // `per` output channels share a weight row (K, or 1 unpacked); slot group i_b's rows are shifted by
  // σ = i_b·shift exponents (§3.4: Z^σ on both sides of that group's identity).
  const per = opts.per ?? K;
  const g = c.cin / c.groups, og = c.cout / c.groups, blocks = Math.ceil(og / per);
  const sigma = (grp: number, ob: number): number => (grp * blocks + ob) * (opts.shift ?? 0);
  const W = opts.weights ?? inst.W;
  const ib = (grp: number, ob: number): bigint => BigInt(1000 + grp * blocks + ob);
  const jOf = (ci: number, phase: number): bigint => BigInt(2000 + ci * f.phases + phase); // ci: absolute input channel
  const jBias = (grp: number): bigint => BigInt(3000 + grp);
  const p0 = 4000n;
  const rows: Row[] = [];
  for (let grp = 0; grp < c.groups; grp++) for (let ob = 0; ob < blocks; ob++) {
    for (let ci = 0; ci < g; ci++) for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
      const t = f.tap(ky, kx);
      const slots = Array.from({ length: K }, (_, s) => {
        const o = ob * per + s;
        if (s < per && o < og) return W[at4([c.cout, g, c.kh, c.kw], [grp * og + o, ci, ky, kx])];
        return s === K - 1 && opts.unreadSlot !== undefined && ci === 0 && ky === 0 && kx === 0 ? opts.unreadSlot : 0n;
      });
      rows.push({ kind: "w", ia: ib(grp, ob), ib: jOf(grp * g + ci, t.phase), E: sigma(grp, ob) + f.D - t.off, slots });
    }
    if (c.bias) rows.push({ kind: "w", ia: ib(grp, ob), ib: jBias(grp), E: sigma(grp, ob) + f.D, slots: Array.from({ length: K }, (_, s) => (s < per && ob * per + s < og ? inst.b[grp * og + ob * per + s] : 0n)) });
  }
  for (let ci = 0; ci < c.cin; ci++) for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) {
    const cell = f.cell(iy, ix);
    const E = opts.xAt?.[0] === ci ? opts.xAt[1] : cell.e; // a hand-built key may move a channel's X rows
    rows.push({ kind: "x", ia: jOf(ci, cell.phase), ib: p0, E, c: inst.x[at4([c.cin, c.h, c.w], [ci, iy, ix])] });
  }
  const one = (grp: number, pixel: number): bigint => (grp === 0 && opts.onesAt?.[0] === pixel ? opts.onesAt[1] : 1n); // c of a ones row (1 unless a cheat sets it)
  if (c.bias) for (let grp = 0; grp < c.groups; grp++) for (let py = 0; py < outH(c); py++) for (let px = 0; px < outW(c); px++) rows.push({ kind: "x", ia: jBias(grp), ib: p0, E: py * f.L + px, c: one(grp, py * outW(c) + px) });
  const [Ho, Wo] = [outH(c), outW(c)];
  for (let o = 0; o < c.cout; o++) {
    const [grp, oo] = [Math.floor(o / og), o % og];
    const [iab, slot, sg] = [ib(grp, Math.floor(oo / per)), BigInt(oo % per), sigma(grp, Math.floor(oo / per))];
    for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) rows.push({ kind: "y", ia: iab, ib: p0, ic: slot, E: sg + f.out(py, px), c: inst.y[(o * Ho + py) * Wo + px] });
  }
  for (const [key, v] of inst.junk) {
    const [o, e] = key.split(":").map(Number);
    const [grp, oo] = [Math.floor(o / og), o % og];
    rows.push({ kind: "y", ia: ib(grp, Math.floor(oo / per)), ib: p0, ic: BigInt(oo % per), E: sigma(grp, Math.floor(oo / per)) + e, c: v, note: "junk" });
  }
  // Honest phase-2 columns: u_j = Σ_i W̃_(i,j)(ψ)·e_i, v_j = X̃_(j,p₀)(ψ)·g_p₀.
  const u = new Map<bigint, bigint>(), v = new Map<bigint, bigint>();
  for (const row of rows) {
    const P = pow(ch.psi, BigInt(row.E));
    if (row.kind === "w") {
      const e = row.slots!.reduce((s, w, t) => s + w * kappa(ch, t), 0n) * inv(ch.beta - row.ia!);
      u.set(row.ib!, mod((u.get(row.ib!) ?? 0n) + e * P));
    } else if (row.kind === "x") v.set(row.ia!, mod((v.get(row.ia!) ?? 0n) + row.c! * P * inv(ch.delta - p0)));
  }
  for (const j of new Set([...u.keys(), ...v.keys()])) rows.push({ kind: "uv", ia: j, E: 0, u: u.get(j) ?? 0n, v: v.get(j) ?? 0n });
  return rows;
}

/**
 * Orders the rows into the table of §3.3: the convolution's rows sorted by exponent (a run that starts
 * after a reset, so its first P is 1 = ψ^0), then the rest at P = 1. Gaps in the exponents get plain
 * rows (×ψ steps). Returns the rows with the step column s (0 hold, 1 times ψ, 2 reset).
 */
function table(rows: Row[]): { rows: Row[]; s: number[] } {
  const run = rows.filter((q) => q.kind !== "uv").sort((a, b) => a.E - b.E);
  const out: Row[] = [];
  for (const q of run) {
    while (out.length > 0 && out[out.length - 1].E < q.E - 1) out.push({ kind: "plain", E: out[out.length - 1].E + 1 });
    out.push(q);
  }
  const s = out.map((q, i) => (i === out.length - 1 ? 2 : out[i + 1].E === q.E ? 0 : 1));
  const rest = rows.filter((q) => q.kind === "uv");
  return { rows: [...out, ...rest], s: [...s, ...rest.map(() => 0)] };
}

/** P from the step column: G16 (P_0 = 1), G14 (P_(i+1) = m(s_i)·P_i + r(s_i)); checks G14 cyclically and P = ψ^E on every Freivalds row of the run. */
function powers(t: { rows: Row[]; s: number[] }, psi: bigint): bigint[] {
  const m = (s: bigint) => mod((1n - s) * (2n - s) * inv(2n) + psi * s * (2n - s));
  const add = (s: bigint) => mod(s * (s - 1n) * inv(2n));
  const P = [1n];
  for (let i = 0; i + 1 < t.rows.length; i++) P.push(mod(m(BigInt(t.s[i])) * P[i] + add(BigInt(t.s[i]))));
  const n = t.rows.length;
  if (mod(m(BigInt(t.s[n - 1])) * P[n - 1] + add(BigInt(t.s[n - 1]))) !== P[0]) throw new Error("G14 fails at the wrap-around");
  t.rows.forEach((q, i) => {
    if (q.kind !== "uv" && q.kind !== "plain" && P[i] !== pow(psi, BigInt(q.E))) throw new Error(`P ≠ ψ^E at row ${i}`);
  });
  return P;
}

/** G3's step N_F/D_F on one row (§2.3): the v5 terms with N_F's W, X and Y terms multiplied by P. */
function step(q: Row, P: bigint, ch: Challenges): bigint {
  const { beta, gamma, delta, lambda, mu } = ch;
  switch (q.kind) {
    case "plain": return 0n;
    case "w": return mod(-q.slots!.reduce((s, w, t) => s + w * kappa(ch, t), 0n) * P * inv((beta - q.ia!) * (gamma - q.ib!)));
    case "x": return mod(-mu * q.c! * P * inv((gamma - q.ia!) * (delta - q.ib!)));
    case "y": return mod(-mu * mu * q.c! * P * inv(mod((beta - q.ia!) * (delta - q.ib!) * (1n - q.ic! * inv(lambda)))));
    case "uv": return mod((q.u! + mu * q.v! + mu * mu * q.u! * q.v! * (gamma - q.ia!)) * inv(gamma - q.ia!));
  }
}

/** Σ of the steps over the table (0 iff the running sum closes, Lemma 4.2); `withoutP` reads P as 1 (v5's G3). */
function total(rows: Row[], ch: Challenges, withoutP = false): bigint {
  const t = table(rows);
  const P = powers(t, ch.psi);
  return t.rows.reduce((s, q, i) => mod(s + step(q, withoutP ? 1n : P[i], ch)), 0n);
}

const checks: [string, boolean][] = [];
const expect = (what: string, ok: boolean) => checks.push([what, ok]);

// 1. Honest convolutions: the identity holds (stride, padding, dilation, groups, bias, 1×1).
const shapes: [string, Conv][] = [
  ["3×3 pad 1 (the small CNN's shape, 2→6 channels on 5×5, bias)", conv({ cin: 2, cout: 6, h: 5, w: 5, kh: 3, kw: 3, pt: 1, pb: 1, pl: 1, pr: 1, bias: true })],
  ["5×5 valid (MNIST's shape, 1→4 on 8×8, bias)", conv({ cin: 1, cout: 4, h: 8, w: 8, kh: 5, kw: 5, bias: true })],
  ["stride 2, pad 1, 3×3 (3→5 on 7×6)", conv({ cin: 3, cout: 5, h: 7, w: 6, kh: 3, kw: 3, sy: 2, sx: 2, pt: 1, pb: 1, pl: 1, pr: 1, bias: true })],
  ["stride (2, 3), asymmetric pad, 2×4 kernel", conv({ cin: 2, cout: 3, h: 7, w: 9, kh: 2, kw: 4, sy: 2, sx: 3, pt: 1, pb: 0, pl: 2, pr: 1 })],
  ["dilation 2, pad 2, 3×3", conv({ cin: 2, cout: 4, h: 7, w: 7, kh: 3, kw: 3, dy: 2, dx: 2, pt: 2, pb: 2, pl: 2, pr: 2, bias: true })],
  ["groups 2 (4→6), 3×3 pad 1", conv({ cin: 4, cout: 6, h: 5, w: 5, kh: 3, kw: 3, pt: 1, pb: 1, pl: 1, pr: 1, groups: 2, bias: true })],
  ["depthwise (groups 3, 3→3)", conv({ cin: 3, cout: 3, h: 5, w: 4, kh: 3, kw: 3, pt: 1, pb: 1, pl: 1, pr: 1, groups: 3 })],
  ["1×1 (a per-pixel dense layer), 3→9", conv({ cin: 3, cout: 9, h: 4, w: 4, kh: 1, kw: 1, bias: true })],
];
for (const [name, c] of shapes) {
  const inst = instance(c);
  const ch = draw();
  expect(`honest ${name}: sum = 0`, total(layout(inst, ch), ch) === 0n);
}
{
  const inst = instance(shapes[0][1]);
  const ch = draw();
  expect("the same honest table with v5's G3 (N_F not multiplied by P): sum ≠ 0, so the check sees P", total(layout(inst, ch), ch, true) !== 0n);
  expect("honest, slot groups shifted by 7 exponents each (§3.4): sum = 0", total(layout(inst, ch, { shift: 7 }), ch) === 0n);
  expect("honest, unpacked (one channel per weight row), channels shifted by 5: sum = 0", total(layout(inst, ch, { per: 1, shift: 5 }), ch) === 0n);
  const y = inst.y.map((v, k) => (k === 30 ? mod(v + 1n) : v));
  expect("shifted slot groups, an output changed: sum ≠ 0", total(layout({ ...inst, y }, ch, { shift: 7 }), ch) !== 0n);
}

// 2. Tampered tables are rejected.
const base = instance(shapes[0][1]);
const ch0 = draw();
const tamper = (what: string, change: (i: Instance) => Instance, opts?: Parameters<typeof layout>[2]) =>
  expect(`${what}: sum ≠ 0`, total(layout(change(base), ch0, opts), ch0) !== 0n);
tamper("an output changed by 1", (i) => ({ ...i, y: i.y.map((v, k) => (k === 7 ? mod(v + 1n) : v)) }));
tamper("an input cell changed (outputs from the original)", (i) => ({ ...i, x: i.x.map((v, k) => (k === 12 ? mod(v + 1n) : v)) }));
tamper("a committed weight differs from the one the outputs were computed with", (i) => i, { weights: base.W.map((v, k) => (k === 5 ? mod(v + 1n) : v)) });
const firstJunk = [...base.junk.keys()][0];
tamper("a junk coefficient changed", (i) => ({ ...i, junk: new Map([...i.junk].map(([k, v]) => [k, k === firstJunk ? mod(v + 1n) : v])) }));
// A non-convolution: the same kernel applied at a shifted position for one output (a wrong "im2col").
tamper("an output computed from a shifted window", (i) => {
  const y = [...i.y];
  y[6] = y[7];
  return { ...i, y };
});

// 3. Challenge order: with ψ known before the junk is fixed, an output error hides in a junk coefficient.
{
  const inst = base;
  const ch = draw();
  const [Ho, Wo] = [outH(inst.c), outW(inst.c)];
  const [o, py, px] = [1, 2, 3];
  const E = inst.f.out(py, px);
  const key = [...inst.junk.keys()].find((k) => k.startsWith(`${o}:`))!;
  const eJ = Number(key.split(":")[1]);
  const y = inst.y.map((v, k) => (k === (o * Ho + py) * Wo + px ? mod(v + 1n) : v));
  // Claim_o(ψ) unchanged: +ψ^E at the output, −ψ^E at the junk position eJ (coefficient ψ^(E − eJ)).
  const junk = new Map(inst.junk);
  junk.set(key, mod(junk.get(key)! - pow(ch.psi, BigInt(E)) * inv(pow(ch.psi, BigInt(eJ)))));
  const cheat = { ...inst, y, junk };
  expect("adaptive: output + 1 hidden in a junk coefficient for a ψ known in advance: accepted with that ψ", total(layout(cheat, ch), ch) === 0n);
  const fresh = { ...ch, psi: challenge() };
  expect("adaptive: the same table with ψ drawn after phase 1 (as the transcript does): rejected", total(layout(cheat, fresh), fresh) !== 0n);
}

// 4. F1-style: what an owner can do with the private weights.
{
  // (a) A weight in an unread slot (output channel 7 of a 6-channel layer has no Y or junk rows).
  const ch = draw();
  expect("owner: a nonzero weight in an unread slot, honest outputs: rejected (it demands conv(x, w) = 0: censorship, not a false statement)",
    total(layout(base, ch, { unreadSlot: 5n }), ch) !== 0n);
  // (b) Span test, the mechanism of finding F1: can the prover's free values (every junk coefficient)
  // absorb an output error or an unread-slot weight, for challenges it does not know? Each free value
  // and each cheat enters the sum linearly; evaluate them at m random challenge draws (m > number of
  // free values) and compare ranks. F1 was a cheat inside that span.
  const c = conv({ cin: 1, cout: 5, h: 2, w: 3, kh: 2, kw: 2, bias: true });
  const inst = instance(c);
  const junkKeys = [...inst.junk.keys()];
  const draws = Array.from({ length: junkKeys.length + 4 }, draw);
  const column = (delta: (i: Instance) => { inst: Instance; opts?: Parameters<typeof layout>[2] }): bigint[] =>
    draws.map((ch) => {
      const d = delta(inst);
      return mod(total(layout(d.inst, ch, d.opts), ch) - total(layout(inst, ch), ch));
    });
  const free = junkKeys.map((k) => column((i) => ({ inst: { ...i, junk: new Map([...i.junk].map(([kk, v]) => [kk, kk === k ? mod(v + 1n) : v])) } })));
  const yErr = column((i) => ({ inst: { ...i, y: i.y.map((v, k) => (k === 4 ? mod(v + 1n) : v)) } }));
  const slotErr = column((i) => ({ inst: i, opts: { unreadSlot: 1n } }));
  const rank = (cols: bigint[][]): number => {
    const m = cols[0].map((_, rI) => cols.map((col) => col[rI])); // rows = draws
    let rk = 0;
    for (let col = 0; col < cols.length && rk < m.length; col++) {
      const piv = m.findIndex((row, i) => i >= rk && row[col] !== 0n);
      if (piv < 0) continue;
      [m[rk], m[piv]] = [m[piv], m[rk]];
      const iv = inv(m[rk][col]);
      for (let i = 0; i < m.length; i++) {
        if (i === rk || m[i][col] === 0n) continue;
        const f = mod(m[i][col] * iv);
        m[i] = m[i].map((x, k) => mod(x - f * m[rk][k]));
      }
      rk++;
    }
    return rk;
  };
  const rf = rank(free);
  expect(`span: the ${junkKeys.length} junk directions are independent over ${draws.length} draws (rank ${rf})`, rf === junkKeys.length);
  expect("span: an output error is not in the span of the junk directions", rank([...free, yErr]) === rf + 1);
  expect("span: an unread-slot weight is not in the span of the junk directions", rank([...free, slotErr]) === rf + 1);
}

// 5. Attacks of the review (convolution-review.md).
{
  // (a) A forged power: an output error cancelled by changing P on that Y row only. The running sum
  // then closes, and G14 (P_(i+1) = m(s_i)·P_i + r(s_i)) fails on both sides of the row (Lemma C1).
  const ch = draw();
  const bad = { ...base, y: base.y.map((v, k) => (k === 9 ? mod(v + 1n) : v)) };
  const t = table(layout(bad, ch));
  const P = powers(t, ch.psi);
  const i = t.rows.findIndex((q) => q.kind === "y" && q.note === undefined && q.ia === 1000n && q.ic === 0n && q.E === bad.f.out(1, 4));
  const S = t.rows.reduce((s, q, k) => mod(s + step(q, P[k], ch)), 0n);
  const forged = [...P];
  forged[i] = mod(P[i] - S * inv(step(t.rows[i], 1n, ch)));
  const sum = t.rows.reduce((s, q, k) => mod(s + step(q, forged[k], ch)), 0n);
  const m = (s: number) => mod(BigInt((1 - s) * (2 - s) / 2) + ch.psi * BigInt(s * (2 - s)));
  const g14 = (k: number) => mod(forged[(k + 1) % forged.length] - m(t.s[k]) * forged[k] - BigInt((t.s[k] * (t.s[k] - 1)) / 2));
  expect("forged P on one Y row hides an output error in the running sum (sum = 0) ...", i >= 0 && sum === 0n);
  expect("... and G14 fails at the rows into and out of it", g14(i - 1) !== 0n && g14(i) !== 0n);
  // (b) A key whose run does not end with a reset: P comes back to row 0 as ψ^e ≠ 1, so G14 (or G16) fails.
  const open = table(layout(base, ch));
  open.s[open.rows.findIndex((q) => q.kind === "uv") - 1] = 1;
  let threw = false;
  try { powers(open, ch.psi); } catch { threw = true; }
  expect("a key whose run ends without a reset: G14 fails at the wrap-around", threw);
  // (c) The ones rows' c must be pinned to 1 (a copy of a constant cell, as matmul.ts does): a free
  // ones cell scales one pixel's bias, and the running sum cannot tell.
  const [Ho, Wo] = [outH(base.c), outW(base.c)];
  const pixel = 7, value = 5n;
  const y = base.y.map((v, k) => (k % (Ho * Wo) === pixel ? mod(v + base.b[Math.floor(k / (Ho * Wo))] * (value - 1n)) : v));
  expect("a ones cell set to 5 (bias ×5 at one pixel): the running sum accepts it, so c = 1 must come from a copy constraint",
    total(layout({ ...base, y }, ch, { onesAt: [pixel, value] }), ch) === 0n);
  // (d) Alias-freeness is what makes the outputs the convolution: with the row stride one below the
  // smallest alias-free one, the honest coefficients at the output exponents are accepted and differ
  // from the convolution. The proof is then of another (public) statement, so check-circuit must
  // verify alias-freeness of every run.
  const c = shapes[0][1];
  const f = flatten(c, rowStride(c).L - 1);
  const inst = instance(c);
  const full = fullProduct(c, f, inst.x, inst.W, inst.b, true);
  const aliased = { ...inst, f, y: inst.y.map((_, k) => { const [o, p] = [Math.floor(k / (Ho * Wo)), k % (Ho * Wo)]; return full.get(`${o}:${f.out(Math.floor(p / Wo), p % Wo)}`) ?? 0n; }), junk: fullProduct(c, f, inst.x, inst.W, inst.b) };
  expect(`L = ${f.L} (aliasing): outputs that are not the convolution are accepted (sum = 0, ${aliased.y.filter((v, k) => v !== inst.y[k]).length} outputs wrong)`,
    !aliasFree(c, f) && total(layout(aliased, ch), ch) === 0n && aliased.y.some((v, k) => v !== inst.y[k]));
  // (e) A dense product (1×1 conv on one pixel) whose input 1 sits at exponent 1, with one "junk" Y row
  // per output there: the check accepts outputs that ignore input 1. A hand-built key, public in the
  // circuit file; check-circuit's product rule (flat products at exponent 0) is what refuses it.
  const dc = conv({ cin: 3, cout: 2, h: 1, w: 1, kh: 1, kw: 1 });
  const d = instance(dc);
  const W1 = (o: number) => d.W[at4([dc.cout, dc.cin, 1, 1], [o, 1, 0, 0])];
  const dropped = { ...d, y: d.y.map((v, o) => mod(v - W1(o) * d.x[1])), junk: new Map([0, 1].map((o) => [`${o}:1`, mod(W1(o) * d.x[1])])) };
  expect("dense product with input 1 moved to exponent 1 plus junk rows there: outputs without input 1 accepted",
    total(layout(dropped, ch, { xAt: [1, 1] }), ch) === 0n && dropped.y.some((v, k) => v !== d.y[k]));
}

let failed = false;
for (const [what, ok] of checks) {
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

// 6. Row counts (§6): the issue-19 models' convolutions, today (im2col) and with this design.
/**
 * Rescale pairing (§3.4) over a run's exponent groups: each Y row needs an open row right after it,
 * one of its exponent (`openOf` says how many there are) or the first row of the next group; the
 * unpaired ones get a filler row. Exponents with no row at all cost one plain row each (P's ×ψ step).
 */
function pairing(groups: Map<number, { y: number; open: number }>, openOf: (e: number, open: number) => number = (_, o) => o): { fillers: number; gaps: number } {
  let [fillers, pending] = [0, 0];
  const exps = [...groups.keys()].sort((a, b) => a - b);
  for (const e of exps) {
    let { y, open } = groups.get(e)!;
    open = Math.floor(openOf(e, open));
    if (pending && open > 0) { open--; pending = 0; }
    fillers += pending; pending = 0;
    y -= Math.min(y, open);
    if (y > 0) { pending = 1; fillers += y - 1; }
  }
  return { fillers: fillers + pending, gaps: exps[exps.length - 1] + 1 - exps.length };
}
/** Rows of one conv in this design; `pairs` counts the plain rows its Y rows' rescales need (§3.4). */
function rowsOf(c: Conv): Record<string, number> {
  const f = rowStride(c);
  const g = c.cin / c.groups, og = c.cout / c.groups;
  const [Ho, Wo] = [outH(c), outW(c)];
  const positions = new Set<number>(); // product exponents with at least one term
  for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) {
    const cell = f.cell(iy, ix);
    for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) {
      const t = f.tap(ky, kx);
      if (t.phase === cell.phase) positions.add(cell.e + f.D - t.off);
    }
  }
  const valid = new Set<number>();
  for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) valid.add(f.out(py, px));
  const junkPerChannel = [...positions].filter((e) => !valid.has(e)).length;
  const weightRows = c.groups * Math.ceil(og / K) * (g * c.kh * c.kw + (c.bias ? 1 : 0));
  const inputRows = c.cin * c.h * c.w;
  const onesRows = c.bias ? c.groups * Ho * Wo : 0;
  const yRows = c.cout * Ho * Wo, junkRows = c.cout * junkPerChannel;
  const uvRows = c.cin * new Set(Array.from({ length: c.kh * c.kw }, (_, k) => f.tap(Math.floor(k / c.kw), k % c.kw).phase)).size + (c.bias ? c.groups : 0);
  // Rescale pairing (§3.4): each Y row needs an open row right after it; open rows are the run's
  // other rows at the same exponent (junk, X, ones, weight rows), or the first row of the next group.
  const groups = new Map<number, { y: number; open: number }>();
  const bump = (e: number, k: "y" | "open", n: number) => { const q = groups.get(e) ?? { y: 0, open: 0 }; q[k] += n; groups.set(e, q); };
  for (const e of positions) bump(e, valid.has(e) ? "y" : "open", c.cout);
  for (const e of valid) if (!positions.has(e)) bump(e, "y", c.cout);
  for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) bump(f.cell(iy, ix).e, "open", c.cin / f.phases);
  for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) if (c.bias) bump(py * f.L + px, "open", c.groups);
  for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) bump(f.D - f.tap(ky, kx).off, "open", c.groups * Math.ceil(og / K) * g / f.phases);
  const fillersOf = (openOf: (e: number, open: number) => number): number => pairing(groups, openOf).fillers;
  const { fillers, gaps } = pairing(groups, (_, open) => open);
  // Variant (§7 item 1): junk rows packed three consecutive coefficients to a row; packed rows are closed.
  const junk = [...positions].filter((e) => !valid.has(e)).sort((a, b) => a - b);
  // A packed row sits at the first exponent of its three; the other two still need a row for P's
  // steps (a plain row) unless an X, ones or weight row has that exponent.
  let [packedPerChannel, runStart, stepRows] = [0, 0, 0];
  for (let i = 0; i <= junk.length; i++) {
    if (i === junk.length || (i > 0 && junk[i] !== junk[i - 1] + 1)) { packedPerChannel += Math.ceil((i - runStart) / 3); runStart = i; }
    if (i < junk.length && (i - runStart) % 3 !== 0 && groups.get(junk[i])!.open - c.cout < 1) stepRows++;
  }
  const packedJunkRows = c.cout * packedPerChannel;
  const packedFillers = fillersOf((e, open) => (positions.has(e) && !valid.has(e) ? open - c.cout : open));
  const total = weightRows + inputRows + onesRows + yRows + junkRows + uvRows + gaps;
  const packedTotal = total - junkRows + packedJunkRows + stepRows + packedFillers;
  const im2col = c.cin / c.groups * c.kh * c.kw + (c.bias ? 1 : 0);
  const today = c.groups * Math.ceil(og / K) * im2col + c.groups * im2col * Ho * Wo + yRows + c.groups * im2col;
  return { L: f.L, D: f.D, weightRows, inputRows, onesRows, yRows, junkRows, uvRows, gaps, total, fillers, withFillers: total + fillers, packedJunkRows, packedTotal, today };
}
/** What the shift scan needs of a stride-1, one-group conv, computed once: its flattening and reached exponents. */
function geometry(c: Conv): { f: Flat; Ho: number; Wo: number; positions: number[]; valid: Set<number> } {
  if (c.groups !== 1 || c.sy !== 1 || c.sx !== 1) throw new Error("the shift scan is written for stride 1, one group");
  const f = rowStride(c);
  const [Ho, Wo] = [outH(c), outW(c)];
  const positions = new Set<number>(), valid = new Set<number>();
  for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) positions.add(f.cell(iy, ix).e + f.D - f.tap(ky, kx).off);
  for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) valid.add(f.out(py, px));
  return { f, Ho, Wo, positions: [...positions], valid };
}
/**
 * Variant (§3.4): slot group i_b shifted by σ = i_b·shift exponents, `per` channels per weight row.
 * Returns the rows that change with it (weight rows, rescale fillers, plain rows for exponents no
 * row has); the other rows are as rowsOf's.
 */
function shifted(c: Conv, g: ReturnType<typeof geometry>, per: number, shift: number): { weightRows: number; fillers: number; gaps: number } {
  const { f, Ho, Wo, positions, valid } = g;
  const blocks = Math.ceil(c.cout / per);
  const groups = new Map<number, { y: number; open: number }>();
  const bump = (e: number, k: "y" | "open", n: number) => { const q = groups.get(e) ?? { y: 0, open: 0 }; q[k] += n; groups.set(e, q); };
  for (let b = 0; b < blocks; b++) {
    const [sg, channels] = [b * shift, Math.min(per, c.cout - b * per)];
    for (const e of positions) bump(sg + e, valid.has(e) ? "y" : "open", channels);
    for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) bump(sg + f.D - f.tap(ky, kx).off, "open", c.cin);
    if (c.bias) bump(sg + f.D, "open", 1);
  }
  for (let iy = 0; iy < c.h; iy++) for (let ix = 0; ix < c.w; ix++) bump(f.cell(iy, ix).e, "open", c.cin);
  if (c.bias) for (let py = 0; py < Ho; py++) for (let px = 0; px < Wo; px++) bump(py * f.L + px, "open", 1);
  return { weightRows: blocks * (c.cin * c.kh * c.kw + (c.bias ? 1 : 0)), ...pairing(groups) };
}

const models: [string, Conv][] = [
  ["small CNN conv 4→8 3×3 pad 1, 12×12", conv({ cin: 4, cout: 8, h: 12, w: 12, kh: 3, kw: 3, pt: 1, pb: 1, pl: 1, pr: 1, bias: true })],
  ["MNIST CNN conv 1→4 5×5, 28×28", conv({ cin: 1, cout: 4, h: 28, w: 28, kh: 5, kw: 5, bias: true })],
  ["MNIST CNN conv 4→8 5×5, 12×12", conv({ cin: 4, cout: 8, h: 12, w: 12, kh: 5, kw: 5, bias: true })],
  ["LeNet-5 conv 1→6 5×5, 32×32", conv({ cin: 1, cout: 6, h: 32, w: 32, kh: 5, kw: 5, bias: true })],
  ["LeNet-5 conv 6→16 5×5, 14×14", conv({ cin: 6, cout: 16, h: 14, w: 14, kh: 5, kw: 5, bias: true })],
];
console.log("\nrows per convolution (today = im2col layout of protocol v5; this design without / with rescale fillers)");
for (const [name, c] of models) {
  const q = rowsOf(c);
  console.log(`${name}: today ${q.today}; L ${q.L}, D ${q.D}: weight ${q.weightRows}, X ${q.inputRows}, ones ${q.onesRows}, Y ${q.yRows}, junk ${q.junkRows}, UV ${q.uvRows}, plain ${q.gaps} = ${q.total}; + ${q.fillers} rescale fillers = ${q.withFillers}; with packed junk (${q.packedJunkRows} rows), its step rows and fillers ${q.packedTotal}`);
  const geo = geometry(c);
  const cost = (v: { weightRows: number; fillers: number; gaps: number }) => v.weightRows + v.fillers + v.gaps;
  const best = [K, 1].map((per) => {
    let top = { per, shift: 0, ...shifted(c, geo, per, 0) };
    for (let shift = 1; shift <= 2 * c.h * q.L; shift++) {
      const v = shifted(c, geo, per, shift);
      if (cost(v) < cost(top)) top = { per, shift, ...v };
    }
    return top;
  }).sort((a, b) => cost(a) - cost(b))[0];
  console.log(`  shifted slot groups (§3.4): best ${best.per} channel(s) per weight row, shift ${best.shift}: weight ${best.weightRows}, fillers ${best.fillers}, plain ${best.gaps}, total ${q.total - q.gaps - q.weightRows + cost(best)}`);
}
process.exit(failed ? 1 : 0);
