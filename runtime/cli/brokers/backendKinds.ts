// The names of the embedded backend kinds across protocols (`embedded.kind`, `--broker-kind`); each protocol's defaults list the ones it accepts.
export const BACKEND_KINDS = ['auto', 'mosquitto', 'aedes', 'rsyslog', 'sink'] as const;

export type BackendKind = (typeof BACKEND_KINDS)[number];
