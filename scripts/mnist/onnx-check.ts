// SPDX-License-Identifier: GPL-3.0-or-later
// Runs an exported model in onnxruntime-node, to check that the ONNX file computes what the
// TypeScript float model computes.
import * as ort from "onnxruntime-node";
import { CLASSES, PIXELS } from "./data.js";
import { INPUT_NAME, OUTPUT_NAME } from "./export.js";

/** onnxruntime-node's logits for `count` images (count × 784 pixels), one inference each at batch 1: count × 10. */
export async function onnxLogits(model: Uint8Array | string, images: Float32Array, count: number): Promise<Float32Array> {
  const session = typeof model === "string" ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const meta = session.inputMetadata.find((m) => m.name === INPUT_NAME);
    if (meta === undefined || !meta.isTensor) throw new Error(`the model has no tensor input "${INPUT_NAME}"`);
    const dims = meta.shape.map((d) => {
      if (typeof d !== "number") throw new Error(`input "${INPUT_NAME}" has a symbolic dimension ${d}`);
      return d;
    });
    const out = new Float32Array(count * CLASSES);
    for (let s = 0; s < count; s++) {
      const x = new ort.Tensor("float32", images.slice(s * PIXELS, (s + 1) * PIXELS), dims);
      const result = await session.run({ [INPUT_NAME]: x });
      const y = result[OUTPUT_NAME].data as Float32Array;
      if (y.length !== CLASSES) throw new Error(`output "${OUTPUT_NAME}" has ${y.length} values, expected ${CLASSES}`);
      out.set(y, s * CLASSES);
    }
    return out;
  } finally {
    await session.release();
  }
}
