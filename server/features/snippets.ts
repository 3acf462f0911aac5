// Snippet completions: an on_data handler and an MQTT CONNECT parser skeleton that handles 3.1, 3.1.1 and 5.0.
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver/node';

const ON_DATA = [
  'function client.on_data(ctxt, payload)',
  '\tlocal data = payload.data',
  '\t$0',
  '\tns.send(ctxt.output, "DATA", {data = data})',
  '\tns.pipe(ctxt.input, ctxt.output)',
  'end',
].join('\n');

// The MQTT 5 property block sits between keep alive and the ClientID (see DESIGN.md): the skeleton skips it.
const MQTT_CONNECT = [
  '-- MQTT CONNECT parser: balances on the ClientID (USER_TOKEN) and persists on it (USERSESSION).',
  'local function read_varint(data, offset)',
  '\tlocal value, multiplier = 0, 1',
  '\tfor _ = 1, 4 do',
  '\t\tif data:len() < offset then return nil end',
  '\t\tlocal byte = data:byte(offset)',
  '\t\toffset = offset + 1',
  '\t\tvalue = value + bit32.band(byte, 0x7F) * multiplier',
  '\t\tif bit32.band(byte, 0x80) == 0 then return value, offset end',
  '\t\tmultiplier = multiplier * 128',
  '\tend',
  '\terror("MQTT CONNECT parse error - invalid Remaining Length.")',
  'end',
  '',
  'function client.on_data(ctxt, payload)',
  '\tlocal data = payload.data',
  '\tlocal data_len = data:len()',
  '\tif data_len < 2 then ctxt:hold(data) return end',
  '\tif bit32.rshift(data:byte(1), 4) ~= 1 then error("${1:Missing MQTT Connect packet.}") end',
  '\tlocal rem_length, offset = read_varint(data, 2)',
  '\tif not rem_length or data_len < offset + rem_length - 1 then ctxt:hold(data) return end',
  '\tlocal name_len = data:byte(offset) * 256 + data:byte(offset + 1)',
  '\tlocal level = data:byte(offset + 2 + name_len)',
  '\toffset = offset + 2 + name_len + 4 -- name, level, flags, keep alive',
  '\tif level == 5 then',
  '\t\tlocal properties_len, after = read_varint(data, offset)',
  '\t\toffset = after + properties_len',
  '\tend',
  '\tlocal id_len = data:byte(offset) * 256 + data:byte(offset + 1)',
  '\tlocal client_id = data:sub(offset + 2, offset + 1 + id_len)',
  '\tns.send(ctxt.output, "DATA", {data = data, user_token = client_id, user_session = client_id})',
  '\tns.pipe(ctxt.input, ctxt.output)$0',
  'end',
].join('\n');

export const SNIPPETS: readonly CompletionItem[] = [
  {
    label: 'client.on_data',
    kind: CompletionItemKind.Snippet,
    detail: 'TCP client data handler',
    insertText: ON_DATA,
    insertTextFormat: InsertTextFormat.Snippet,
    documentation: 'A `client.on_data(ctxt, payload)` handler that forwards the first data to the LB vserver and pipes the rest.',
  },
  {
    label: 'mqtt-connect-parser',
    kind: CompletionItemKind.Snippet,
    detail: 'MQTT CONNECT parser (3.1 / 3.1.1 / 5.0)',
    insertText: MQTT_CONNECT,
    insertTextFormat: InsertTextFormat.Snippet,
    documentation: 'Parses the CONNECT fixed header, remaining length, protocol name and level, skips MQTT 5 properties, and balances on the ClientID.',
  },
];
