// Public surface of the reference MQTT CONNECT decoder/encoder: import from here, not from the parts.
export * from './constants';
export type { ConnectPacket, ConnectProperties, WillProperties, ConnectFlags, ConnectWill, QoS, UserProperty } from './connectPacket';
export { decodeConnect } from './connectDecoder';
export type { DecodeResult, DecodeOk, DecodeIncomplete, DecodeInvalid, DecodeOptions } from './decodeResult';
export type { DecodeError } from './errors';
export { fieldAt, findField, subFieldsOf, type Field, type FieldMap, type FieldValue, type VarIntDigit } from './fields';
export { encodeConnect, encodeProperties, connectFlags, toBytes, type ConnectOptions, type WillOptions, type BytesLike, type EncodableProperties } from './connectEncoder';
export { encodeRemainingLength, readVarInt, varIntWidth, type VarIntRead } from './varint';
export { checkMqttUtf8, type Utf8Problem } from './utf8';
export { builtinCorpus, twoFragmentSplits, splitCases, CAPTURED, type CorpusCase, type CorpusExpectation } from './corpus';
export { referenceVerdict, type ReferenceVerdict } from './verdict';
