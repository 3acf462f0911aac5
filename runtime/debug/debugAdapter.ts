// Entry of dist/debugAdapter.js: speaks DAP on stdio for debug type `protoext`.
import { ProtoextDebugSession } from './debugSession';

const session = new ProtoextDebugSession();
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
