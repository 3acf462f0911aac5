// Hand-written MQTT CONNECT flights (ClientID "abcd" unless noted) for the ns tests; annotated by field.
const hex = (...parts: string[]): Uint8Array => Uint8Array.from(Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex'));

/** MQTT 3.1: "MQIsdp" level 3. */
export const CONNECT_31 = hex('10 12', '0006 4d5149736470', '03', '02', '003c', '0004 61626364');
/** MQTT 3.1.1: "MQTT" level 4. */
export const CONNECT_311 = hex('10 10', '0004 4d515454', '04', '02', '003c', '0004 61626364');
/** MQTT 5.0 with an empty property list. */
export const CONNECT_5_NO_PROPS = hex('10 11', '0004 4d515454', '05', '02', '003c', '00', '0004 61626364');
/** MQTT 5.0 with Receive Maximum 20, as mosquitto_pub -V mqttv5 sends. */
export const CONNECT_5_PROPS = hex('10 14', '0004 4d515454', '05', '02', '003c', '03 21 0014', '0004 61626364');
/** MQTT 5.0 with session expiry and a user property ("k" = "v"), ClientID "dev-42". */
export const CONNECT_5_MANY_PROPS = hex('10 1f', '0004 4d515454', '05', '02', '003c', '0c 11 0000003c 26 0001 6b 0001 76', '0006 6465762d3432');
/** MQTT 3.1.1 with an empty ClientID (clean session). */
export const CONNECT_311_EMPTY_ID = hex('10 0c', '0004 4d515454', '04', '02', '003c', '0000');
/** A PINGREQ followed by nothing: not a CONNECT. */
export const PINGREQ = hex('c0 00');

export const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('latin1'));
