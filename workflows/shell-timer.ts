import { CancellationScope, condition, sleep } from '@temporalio/workflow';

interface Running {
  wake: number;
  purpose: string;
  deadline: number;
  scope: CancellationScope;
  fired: boolean;
}

/**
 * The shell's follow-up timer, moved only when it would fire too late. Every action moves the
 * case's inactivity limit later, and a timer cancelled and started again on every action put two
 * more commands (and a server timer write) in front of the action's database sync. A timer kept
 * for an earlier moment costs one spare wake, after which the shell times what is then next.
 */
export class ShellTimer {
  private running: Running | undefined;

  /**
   * Waits until `woke()` or the wake (none when undefined), then until every promise continuation
   * of that activation has run, so that whatever the lane does with an activity result comes
   * before the shell's next command, in whichever order the activation's jobs arrived.
   */
  async wait(woke: () => boolean, wake: number | undefined, purpose: string): Promise<void> {
    await this.retime(wake, purpose);
    const timer = this.running;
    await condition(() => timer?.fired === true || woke());
    // False when set, true at the SDK's next check of conditions, which comes once the microtasks have drained.
    let armed = false;
    const settled = condition(() => armed);
    armed = true;
    await settled;
    if (timer?.fired) this.running = undefined;
  }

  private async retime(wake: number | undefined, purpose: string): Promise<void> {
    if (this.running?.fired) this.running = undefined;
    const t = this.running;
    if (t && t.purpose === purpose && (wake === undefined || t.wake <= wake)) return;
    if (t) {
      // A timer already due has fired on the server or is about to: cancelling it would race its
      // firing (the time-skipping server strands a run that cancels a fired timer), so it is awaited.
      if (t.deadline <= Date.now()) await condition(() => t.fired);
      else t.scope.cancel();
      this.running = undefined;
    }
    if (wake === undefined) return;
    const duration = Math.max(wake - Date.now(), 1000);
    const summary = `${purpose}; next follow-up ${new Date(wake).toISOString().slice(0, 10)}`;
    const running: Running = { wake, purpose, deadline: Date.now() + duration, scope: new CancellationScope(), fired: false };
    running.scope
      .run(() => sleep(duration, { summary }))
      .then(
        () => {
          running.fired = true;
        },
        () => undefined,
      );
    this.running = running;
  }
}
