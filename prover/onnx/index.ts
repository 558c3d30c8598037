// ONNX files: the protobuf schema, loading into OnnxModel, and writing models.

export { OnnxError, type OnnxErrorKind } from "./errors.js";
export { loadOnnx, MAX_OPSET, MIN_OPSET, type LoadOptions, type OnnxAttribute, type OnnxInput, type OnnxModel, type OnnxNode, type OnnxOutput } from "./loader.js";
export { AttributeType, DataLocation, DataType, decodeModel, encodeModel, type ModelProto } from "./proto.js";
export { decodeTensor, encodeTensor, type ElementType, type OnnxTensor, type OnnxTensorData } from "./tensor.js";
export { buildModel, writeModel, type AttributeValue, type ModelSpec, type NodeSpec, type ValueSpec } from "./writer.js";
