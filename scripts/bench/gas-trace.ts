// Where a call's execution gas goes, from an opcode trace (debug_traceCall on the in-process
// Hardhat network): each precompile's calls, keccak256, field arithmetic, memory, calldata reads,
// 32-byte constants the compiler reads from code, and the rest. Each opcode counts at its traced
// cost, a precompile call at the gas it took until the next opcode (its price plus the warm
// STATICCALL's 100), so the groups sum exactly to the execution gas.
import { toHex, type Address, type Client, type Hex } from "viem";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

/** viem types `request` by its known methods; debug_traceCall is not among them. */
type RawRequest = (args: { method: string; params: unknown[] }) => Promise<unknown>;

export interface GasGroup {
  name: string;
  gas: number;
  count: number;
}

const PRECOMPILE: Record<number, string> = { 5: "modexp calls", 6: "ecAdd calls", 7: "ecMul calls", 8: "pairing calls" };
const OPCODE_GROUP: Record<string, string> = {
  KECCAK256: "keccak256",
  MULMOD: "mulmod/addmod",
  ADDMOD: "mulmod/addmod",
  CALLDATALOAD: "calldataload/calldatacopy",
  CALLDATACOPY: "calldataload/calldatacopy",
  MSTORE: "mstore/mload/mcopy",
  MLOAD: "mstore/mload/mcopy",
  MCOPY: "mstore/mload/mcopy",
  CODECOPY: "constants read from code (codecopy)",
};
const OTHER = "other opcodes (stack, jumps, comparisons)";
/** The largest gas a transaction may carry (EIP-7825: 2^24); the node refuses a trace call above it. */
const TRACE_GAS = 2 ** 24;

/** The execution gas of calling `to` with `data`, in groups, largest first; `total` is their sum. */
export async function gasBreakdown(client: Client, to: Address, data: Hex): Promise<{ groups: GasGroup[]; total: number }> {
  const trace = (await (client.request as unknown as RawRequest)({
    method: "debug_traceCall",
    params: [{ to, data, gas: toHex(TRACE_GAS) }, "latest", { disableStorage: true, enableMemory: false }],
  })) as { structLogs: StructLog[] };
  const groups = new Map<string, GasGroup>();
  const add = (name: string, gas: number): void => {
    const g = groups.get(name) ?? { name, gas: 0, count: 0 };
    g.gas += gas;
    g.count += 1;
    groups.set(name, g);
  };
  const logs = trace.structLogs.filter((l) => l.depth === 1);
  for (const [i, l] of logs.entries()) {
    if (l.op === "STATICCALL" && i + 1 < logs.length) {
      const stack = l.stack ?? [];
      const target = Number(BigInt(stack[stack.length - 2] ?? "0x0"));
      add(PRECOMPILE[target] ?? `calls to ${target}`, l.gas - logs[i + 1].gas);
    } else add(OPCODE_GROUP[l.op] ?? OTHER, l.gasCost);
  }
  const sorted = [...groups.values()].sort((a, b) => b.gas - a.gas);
  return { groups: sorted, total: sorted.reduce((s, g) => s + g.gas, 0) };
}

/**
 * Where a mined transaction's gas goes in its outermost contract (a registry calling a verifier):
 * that frame's opcodes, each at the gas it took until the frame's next opcode less what the callee
 * used inside (a call counts its own overhead only), grouped by opcode, largest first; `callees`
 * is the gas used inside called contracts.
 */
export async function outerFrameGas(client: Client, hash: Hex): Promise<{ ops: GasGroup[]; callees: number }> {
  const trace = (await (client.request as unknown as RawRequest)({
    method: "debug_traceTransaction",
    params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { structLogs: StructLog[] };
  const steps = trace.structLogs;
  const groups = new Map<string, GasGroup>();
  let callees = 0;
  for (let i = 0; i < steps.length; i++) {
    if (steps[i].depth !== 1) continue;
    let next = i + 1;
    while (next < steps.length && steps[next].depth !== 1) next++;
    let gas = steps[i].gasCost;
    if (next < steps.length) {
      gas = steps[i].gas - steps[next].gas;
      if (next > i + 1) {
        // A call: the callee's first step has the gas it was given, its last step what it hands back.
        const last = steps[next - 1];
        const used = steps[i + 1].gas - (last.gas - last.gasCost);
        callees += used;
        gas -= used;
      }
    }
    const g = groups.get(steps[i].op) ?? { name: steps[i].op, gas: 0, count: 0 };
    g.gas += gas;
    g.count += 1;
    groups.set(steps[i].op, g);
  }
  return { ops: [...groups.values()].sort((a, b) => b.gas - a.gas), callees };
}
