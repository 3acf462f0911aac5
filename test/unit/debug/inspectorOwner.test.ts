// The CONNECT Inspector's owner: only the end of the session whose stop it shows marks it ended, not an earlier session's late end.
import test from 'node:test';
import assert from 'node:assert/strict';
import { InspectorOwner } from '../../../client/debug/inspectorOwner';

test('an earlier session that ends after the next one stopped leaves the inspector live', () => {
  const owner = new InspectorOwner();
  owner.showing('first');   // the holding run's final state
  owner.showing('second');  // the next launch stopped on ns.pipe before VS Code reported the first one's end
  assert.equal(owner.ended('first'), false, 'the first session no longer owns what the inspector shows');
  assert.equal(owner.ended('second'), true, 'the session whose stop is shown ends: the inspector says so');
});

test('the shown session ends once; a session that never sent a state changes nothing', () => {
  const owner = new InspectorOwner();
  assert.equal(owner.ended('never-showed'), false);
  owner.showing('a');
  assert.equal(owner.ended('a'), true);
  assert.equal(owner.ended('a'), false);
});

test('only a session\'s first state opens the inspector; later stops of it, or of an older session, do not', () => {
  const owner = new InspectorOwner();
  assert.equal(owner.showing('a'), true);
  assert.equal(owner.showing('a'), false);
  assert.equal(owner.showing('b'), true);
  assert.equal(owner.showing('a'), false, 'a late state of the older session');
});
