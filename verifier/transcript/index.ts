export {
  Transcript,
  TranscriptError,
  TAG,
  MAX_LABEL_BYTES,
  TWO_256_MOD_R,
  header,
  type G1Input,
  type ScheduleStep,
  type TranscriptOptions,
} from "./transcript.js";
