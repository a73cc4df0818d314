// mqtt-pub's argv parsing and publish plan, as its main() makes them: what the
// argv and client start-up layers share (not in layer-common.ts, which the
// floor and codec layers bundle too).
import { MOSQUITTO_CONFIG, PUB_OPTIONS, TOOL } from '../../src/cli/pub/command.js';
import { toPublishPlan, type PublishPlan } from '../../src/cli/pub/options.js';
import { PUB_CHECKS } from '../../src/cli/shared/parse-checks.js';
import { parseOrAnswer } from '../../src/cli/shared/tool-requests.js';

/** The plan for this process's argv; a request (--help and the like) ends the process with its status. */
export async function pubPlan(): Promise<PublishPlan> {
  const args = await parseOrAnswer(process.argv.slice(2), TOOL, PUB_OPTIONS, () => import('../../src/cli/pub/help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: PUB_CHECKS,
  });
  if (typeof args === 'number') process.exit(args);
  return toPublishPlan(args, { pid: process.pid });
}
