import { ApplicationFailure } from '@temporalio/activity';
import type { Application } from '../domain/application';
import type { Evaluation } from '../domain/evaluation';
import { checkIntake } from '../domain/intake';
import { evaluateApplication } from '../domain/rules';
import { loadRulesConfig } from './rules-config';

export function rulesActivities() {
  return {
    /**
     * Applies the carrier rules current at intake. The result is kept in workflow history, so
     * a later edit of config/rules.json changes new cases, never the ones already running.
     */
    async evaluateApplication(input: { application: Application; today: string }): Promise<Evaluation> {
      const config = await loadRulesConfig();
      const errors = checkIntake(input.application, config, input.today);
      if (errors.length) {
        throw ApplicationFailure.nonRetryable(
          `Application fails carrier rules: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
          'InvalidApplication',
        );
      }
      return evaluateApplication(input.application, config, input.today);
    },
  };
}
