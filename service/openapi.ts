// The JSON schemas of the API's requests (Fastify validates against them) and the OpenAPI 3.1
// document served at /v1/openapi.json, built from the same schemas.

export const schemas = {
  proofRequest: {
    type: "object",
    required: ["model", "input"],
    additionalProperties: false,
    properties: {
      model: { type: "string", minLength: 1, maxLength: 200, description: "the model's id (its artifacts directory's base name) or its verification-key digest" },
      input: {
        type: "object",
        required: ["input_data"],
        description: "the input in EZKL's layout, as `zkinfer prove --input` reads it",
        properties: { input_data: { type: "array", minItems: 1, items: { type: "array" } } },
      },
      idempotencyKey: { type: "string", minLength: 1, maxLength: 200, description: "a repeated request with the same key (and API key) names the same job" },
    },
  },
  proofParams: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string", minLength: 1, maxLength: 100 } },
  },
} as const;

const error = { type: "object", required: ["error"], properties: { error: { type: "string" } } };
const proofFile = {
  type: "object",
  description: "the same JSON as the proof.json `zkinfer prove` writes; `zkinfer verify` checks it",
  required: ["version", "proof", "publicInputs", "outputs"],
  properties: {
    version: { type: "integer" },
    proof: { type: "string", pattern: "^0x([0-9a-f]{2})*$" },
    publicInputs: { type: "array", items: { type: "string" } },
    outputs: { type: "array", items: { type: "number" } },
  },
};
const proofStatus = {
  type: "object",
  required: ["id", "model", "state", "progress"],
  properties: {
    id: { type: "string" },
    model: { type: "string" },
    state: { type: "string", enum: ["queued", "active", "completed", "failed"] },
    progress: { type: "number", minimum: 0, maximum: 100 },
    proof: proofFile,
    error: { type: "string" },
  },
};
const model = {
  type: "object",
  properties: {
    id: { type: "string" },
    digest: { type: "string" },
    circuit: { type: "string" },
    input: { type: "string", description: "what input_data must hold" },
    logRows: { type: "integer" },
    publicInputCount: { type: "integer" },
    insecure: { type: "boolean", description: "keys made with --dev-srs: proofs are not secure" },
  },
};

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
const secured = [{ apiKey: [] }];

export function openApiDocument(): unknown {
  return {
    openapi: "3.1.0",
    info: { title: "zkinfer proving service", version: "1", description: "Queue proofs of inferences of the served models and fetch them (docs/service.md)." },
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "with --api-keys: a key that `zkinfer keys new` made" } } },
    paths: {
      "/v1/proofs": {
        post: {
          summary: "queue a proof of one inference",
          security: secured,
          requestBody: { required: true, ...json(schemas.proofRequest) },
          responses: {
            "202": { description: "queued", ...json({ type: "object", required: ["id"], properties: { id: { type: "string" } } }) },
            "400": { description: "bad request (unknown model, wrong input shape, value out of range); no job made", ...json(error) },
            "401": { description: "missing or unknown API key", ...json(error) },
            "409": { description: "idempotencyKey already used for another request", ...json(error) },
          },
        },
      },
      "/v1/proofs/{id}": {
        get: {
          summary: "a proof job's state, progress, and proof once completed",
          security: secured,
          parameters: [{ name: "id", in: "path", required: true, schema: schemas.proofParams.properties.id }],
          responses: { "200": { description: "the job", ...json(proofStatus) }, "401": { description: "missing or unknown API key", ...json(error) }, "404": { description: "no such job", ...json(error) } },
        },
      },
      "/v1/models": {
        get: {
          summary: "the models served, by id and verification-key digest",
          security: secured,
          responses: { "200": { description: "models", ...json({ type: "object", properties: { models: { type: "array", items: model } } }) } },
        },
      },
      "/v1/openapi.json": { get: { summary: "this document", security: secured, responses: { "200": { description: "OpenAPI 3.1" } } } },
      "/healthz": { get: { summary: "liveness and Redis reachability (no key needed)", responses: { "200": { description: "ok" }, "503": { description: "Redis unreachable" } } } },
      "/metrics": { get: { summary: "Prometheus metrics (no key needed)", responses: { "200": { description: "text/plain; version=0.0.4" } } } },
    },
  };
}
