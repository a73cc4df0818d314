// Public surface of the codec. Pure: no sockets, timers or events.
export type * from './types.js';
export { PACKET_TYPE_IDS } from './types.js';
export { encodePacket, encodePublishHead, decodePacket, packetSize } from './packet-codec.js';
export { FrameDecoder, type FrameDecoderOptions, type DecodeFailure } from './frame-decoder.js';
export type { OutBuffer } from './writer.js';
export { parseFrame, type FrameHeader, type NeedMore } from './frame.js';
export { vbiSize, decodeVbi, writeVbi, MAX_VBI } from './varint.js';
export {
  validateTopicName,
  validateTopicFilter,
  isValidMqttString,
  topicNameProblem,
  topicFilterProblem,
  isSharedFilter,
  topicMatches,
  utf8Length,
  hasDiscouragedCodePoints,
} from './validate.js';
export {
  reasonName,
  reasonInfo,
  isReasonCodeAllowed,
  connackV3Text,
  isV3SubackCode,
  v5ReasonCodes,
  V3_CONNACK_CODES,
  type ReasonCodeInfo,
} from './reason-codes.js';
export { propertyDefs, propertyById, propertyByName, CTX, type PropertyDef, type PropertyType } from './properties.js';
