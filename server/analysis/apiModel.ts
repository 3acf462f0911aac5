// Looks up the ns API catalog by value type and member name; the only place the server interprets catalog paths.
import { API_CLASSES, API_MEMBERS, type ApiMember } from '../../runtime/ns/catalog';

/** Globals that are API tables, with the type name their members are listed under. */
export const API_GLOBAL_TYPES: Readonly<Record<string, string>> = { ns: 'ns', client: 'client', server: 'server' };

/** `ctxt:hold` -> `hold`. */
export function memberName(member: ApiMember): string {
  return member.path.split(/[.:]/).pop() ?? member.path;
}

export function membersOfType(type: string): ApiMember[] {
  return API_MEMBERS.filter((m) => m.owner === type);
}

export function findMember(type: string, name: string): ApiMember | undefined {
  return API_MEMBERS.find((m) => m.owner === type && memberName(m) === name);
}

export function isApiType(type: string | undefined): type is string {
  return type !== undefined && API_CLASSES.some((c) => c.name === type);
}

export function classDoc(type: string): string | undefined {
  return API_CLASSES.find((c) => c.name === type)?.doc;
}

/** Whether the catalog describes the members of this type (so an unknown name is a mistake, not a gap). */
export function hasKnownMembers(type: string): boolean {
  return membersOfType(type).length > 0;
}

/** The callback members (`client.on_data`), keyed by their Lua spelling. */
export function callbackByPath(path: string): ApiMember | undefined {
  return API_MEMBERS.find((m) => m.kind === 'callback' && m.path === path);
}

export function signatureLabel(member: ApiMember): string {
  const params = (member.params ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`).join(', ');
  const returns = member.returns?.length ? `: ${member.returns.map((r) => r.type).join(', ')}` : '';
  return `${member.path}(${params})${returns}`;
}
