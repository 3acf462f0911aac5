// Which debug session the CONNECT Inspector is showing, so that only that session's end marks it "ended" (plain TypeScript, no vscode).

/**
 * VS Code reports a session's end (adapter gone) some time after its `terminated` event. A session started
 * right after another one can already be stopped by then; the older session's end must not label the live
 * session's stop as "the debug session has ended".
 */
export class InspectorOwner {
  private owner: string | null = null;

  /** The session `sessionId` sent the state the inspector now shows. */
  showing(sessionId: string): void {
    this.owner = sessionId;
  }

  /** The session `sessionId` ended: true when it is the one whose state is shown (the inspector then says so). */
  ended(sessionId: string): boolean {
    if (this.owner !== sessionId) return false;
    this.owner = null;
    return true;
  }
}
