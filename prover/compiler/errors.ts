// Why a model cannot be compiled, or an input cannot be proved.
import { nodeFailureMessage } from "../ir/errors.js";

/** The model uses operators (or attributes) the compiler does not lower; lists every offending node. */
export class UnsupportedModelError extends Error {
  override name = "UnsupportedModelError";
  readonly nodes: readonly { node: string; op: string; reason: string }[];
  constructor(nodes: readonly { node: string; op: string; reason: string }[]) {
    const ops = [...new Set(nodes.map((n) => n.op))].sort();
    super(
      `the model uses ${nodes.length} node(s) the compiler does not support (ops: ${ops.join(", ")}):\n` +
        nodes.map((n) => `  ${n.node} (${n.op}): ${n.reason}`).join("\n"),
    );
    this.nodes = nodes;
  }
}

/** A value fell outside the range its node was calibrated for (at compile or prove time). */
export class QuantRangeError extends Error {
  override name = "QuantRangeError";
  readonly node: string;
  constructor(node: string, message: string) {
    super(`node ${node}: ${message}`);
    this.node = node;
  }
}

/** The compiled model or its manifest is malformed or inconsistent. */
export class CompileError extends Error {
  override name = "CompileError";
}

/**
 * An unexpected failure (not one of the errors above) while handling one node, as a CompileError
 * that names the node and says what to do, so no bare "internal error" reaches a user.
 */
export function nodeFailure(node: { name: string; op: string }, stage: string, err: unknown): CompileError {
  return new CompileError(nodeFailureMessage(node, stage, err), { cause: err });
}
