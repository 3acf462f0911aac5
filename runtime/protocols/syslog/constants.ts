// Syslog's names and numbers: facilities and severities (RFC 5424 6.2.1), header field limits (6.2.4-6.2.7), the 3164 month names.

/** RFC 5424 table 1: facility codes 0-23. */
export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

/** RFC 5424 table 2: severity codes 0-7. */
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export type Facility = (typeof FACILITIES)[number];
export type Severity = (typeof SEVERITIES)[number];

/** RFC 5424 6.2.1: PRIVAL = facility * 8 + severity, at most 191. */
export const MAX_PRIVAL = 191;

/** RFC 5424 6.2.4-6.2.7: header fields are PRINTUSASCII (33-126) with these maximum lengths. */
export const HEADER_LIMITS = { HOSTNAME: 255, 'APP-NAME': 48, PROCID: 128, MSGID: 32 } as const;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The rejections of the reference decoder, each citing its clause. */
export const SYSLOG_ERRORS = {
  'missing-pri': 'RFC 5424 6.2.1 (and RFC 3164 4.1.1): a syslog message starts with "<" PRIVAL ">"',
  'bad-pri': 'RFC 5424 6.2.1: PRI is "<", 1 to 3 digits, ">"',
  'pri-leading-zero': 'RFC 5424 6.2.1: PRIVAL has no leading zero (only "<0>" starts with 0)',
  'pri-out-of-range': `RFC 5424 6.2.1: PRIVAL is at most ${MAX_PRIVAL} (facility 23, severity 7)`,
  'header-truncated': 'RFC 5424 6: the HEADER has PRI VERSION and six SP-separated fields (TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA)',
  'bad-timestamp': 'RFC 5424 6.2.3: TIMESTAMP is "-" or FULL-DATE "T" FULL-TIME (e.g. 2026-12-04T07:12:46.299624+00:00)',
  'field-not-printable': 'RFC 5424 6.2.4-6.2.7: HOSTNAME, APP-NAME, PROCID and MSGID are PRINTUSASCII (33-126)',
  'field-too-long': 'RFC 5424 6.2.4-6.2.7: HOSTNAME <= 255, APP-NAME <= 48, PROCID <= 128, MSGID <= 32 octets',
  'bad-structured-data': 'RFC 5424 6.3: STRUCTURED-DATA is "-" or one or more SD-ELEMENTs "[" SD-ID *(SP SD-PARAM) "]"',
  'structured-data-unterminated': 'RFC 5424 6.3.1: an SD-ELEMENT ends with "]" (inside PARAM-VALUE, "]" must be escaped as "\\]")',
  'no-space-before-msg': 'RFC 5424 6: MSG follows STRUCTURED-DATA after one SP',
  'bad-3164-timestamp': 'RFC 3164 4.1.2: TIMESTAMP is "Mmm dd hh:mm:ss" (day space-padded) followed by SP',
  'octet-count-leading-zero': 'RFC 6587 3.4.1: MSG-LEN is NONZERO-DIGIT *DIGIT',
  'octet-count-no-space': 'RFC 6587 3.4.1: MSG-LEN must be followed by one SP before the message',
  'octet-count-too-long': 'RFC 6587 3.4.1: MSG-LEN has more than 9 digits (a broken frame, not a big message)',
} as const;

export type SyslogErrorCode = keyof typeof SYSLOG_ERRORS;
