// Which debug session the Packet Inspector is showing, so that only that session's end marks it "ended" (plain TypeScript, no vscode).

/**
 * VS Code reports a session's end (adapter gone) some time after its `terminated` event. A session started
 * right after another one can already be stopped by then; the older session's end must not label the live
 * session's stop as "the debug session has ended".
 */
export class InspectorOwner {
  private owner: string | null = null;
  private readonly seen = new Set<string>();

  /** The session `sessionId` sent the state the inspector now shows; true when it is that session's first (the inspector then opens). */
  showing(sessionId: string): boolean {
    const first = this.owner !== sessionId && !this.seen.has(sessionId);
    this.seen.add(sessionId);
    this.owner = sessionId;
    return first;
  }

  /** The session `sessionId` ended: true when it is the one whose state is shown (the inspector then says so). */
  ended(sessionId: string): boolean {
    if (this.owner !== sessionId) return false;
    this.owner = null;
    return true;
  }
}
