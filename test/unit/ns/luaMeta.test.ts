// The LuaLS meta file declares every catalog class and member, with its parameters, and is itself valid Lua 5.2.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as luaparse from 'luaparse';
import { API_CLASSES, API_MEMBERS } from '../../../runtime/ns/catalog';
import { classVariable, generateLuaMeta } from '../../../runtime/ns/luaMetaGenerator';

const meta = generateLuaMeta();

test('the meta file starts with ---@meta and parses as Lua 5.2', () => {
  assert.ok(meta.startsWith('---@meta'));
  assert.doesNotThrow(() => luaparse.parse(meta, { luaVersion: '5.2' }));
});

test('every catalog class is declared with ---@class', () => {
  for (const c of API_CLASSES) assert.ok(meta.includes(`---@class ${c.name}\n`), c.name);
});

for (const member of API_MEMBERS) {
  test(`declares ${member.path}`, () => {
    const name = member.path.split(/[.:]/).pop();
    if (member.kind === 'field') {
      assert.ok(meta.includes(`---@field ${name} ${member.type} ${member.doc}`), 'field with its type and doc');
      return;
    }
    const params = member.params ?? [];
    const separator = member.kind === 'method' ? ':' : '.';
    const declaration = `function ${classVariable(member.owner)}${separator}${name}(${params.map((p) => p.name).join(', ')}) end`;
    const at = meta.indexOf(declaration);
    assert.ok(at > 0, declaration);
    const block = meta.slice(meta.lastIndexOf('\n\n', at), at);
    assert.ok(block.includes(member.doc), 'doc comment above the function');
    for (const p of params) {
      const type = p.oneOf ? p.oneOf.map((v) => `"${v}"`).join('|') : p.type;
      const optional = p.optional && p.name !== '...' ? '?' : ''; // LuaLS spells varargs `...`, never `...?`
      assert.ok(block.includes(`---@param ${p.name}${optional} ${type} `), `param ${p.name}`);
    }
    for (const r of member.returns ?? []) assert.ok(block.includes(`---@return ${r.type} # ${r.doc}`), 'return');
  });
}
