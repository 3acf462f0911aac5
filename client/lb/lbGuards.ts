// What the LB's commands share: the LB of the window, and the sentence a command gives when the LB is not running.
import type { StudioContext } from '../context';
import type { LbController } from './lbController';

export const notRunning = (ctx: StudioContext): string | undefined =>
  ctx.lb?.status.kind === 'running' ? undefined : 'the local LB is not running; start it with "Protocol Extension: Start Local LB".';

export function lbOf(ctx: StudioContext): LbController {
  if (!ctx.lb) throw new Error('the local LB is not set up in this window');
  return ctx.lb;
}
