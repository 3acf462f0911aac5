// Custom DAP messages of the protoext adapter, declared once for the adapter and the VS Code client, with their direction.

/** Event, adapter -> client, at every stop: body is an InspectorState; the client forwards it to the CONNECT Inspector view. */
export const INSPECTOR_EVENT = 'protoext/inspector';
/** Request, client -> adapter: resume until the script reads a byte it has not read before (same as next with granularity 'instruction'). */
export const STEP_TO_NEXT_BYTE_REQUEST = 'protoext/stepToNextByte';
/** Request, client -> adapter: the current InspectorState (null when not stopped); used by tests and by a view opened mid-session. */
export const INSPECTOR_STATE_REQUEST = 'protoext/inspectorState';
