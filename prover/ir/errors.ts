/** Thrown when a model's graph is inconsistent (shapes that do not fit, a value nobody produces,
 *  a cycle) or needs something the IR cannot represent; the CLI reports it as bad input. */
export class IrError extends Error {
  override name = "IrError";
}

/**
 * Runs one node's step (normalise, shape inference, evaluation), turning an unexpected failure
 * into an IrError that names the node and says what to do (an IrError passes through).
 */
export function atNode<T>(node: { name: string; op: string }, step: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof IrError) throw err;
    throw new IrError(nodeFailureMessage(node, step, err), { cause: err });
  }
}

/** What a user reads when one node's step fails unexpectedly: the node, the step, what to do. */
export function nodeFailureMessage(node: { name: string; op: string }, step: string, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return (
    `node "${node.name}" (${node.op}): ${step} failed: ${reason}; this use of ${node.op} is not supported: ` +
    `rewrite or simplify the model around this node (for example with onnx-simplifier), or report it with the model`
  );
}

/** A node whose operator zkinfer does not support. */
export interface UnsupportedNode {
  name: string;
  op: string;
  /** "" for the default ONNX operator set. */
  domain: string;
}

/** Thrown when a model holds operators outside the supported set; lists every such node. */
export class UnsupportedOpsError extends IrError {
  override name = "UnsupportedOpsError";
  readonly nodes: UnsupportedNode[];

  constructor(nodes: UnsupportedNode[]) {
    const ops = [...new Set(nodes.map(qualifiedOp))].sort();
    super(
      `the model uses ${ops.length === 1 ? "an operator" : "operators"} zkinfer does not support (${ops.join(", ")}) in ` +
        `${nodes.length} node${nodes.length === 1 ? "" : "s"}: ${nodes.map((n) => `${n.name} (${qualifiedOp(n)})`).join(", ")}`,
    );
    this.nodes = nodes;
  }
}

export function qualifiedOp(node: { op: string; domain: string }): string {
  return node.domain ? `${node.domain}::${node.op}` : node.op;
}
