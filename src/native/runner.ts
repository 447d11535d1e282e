// Runs scenarios through the addon and decodes what came back. The addon does
// the syscalls; each observation kind's module (native/observations/) adds the
// names and normalised properties, decoded with the tables the addon built
// from the running OS's constants.
import type { Binding, FlagTable, NativeCommand, NativeRunResult, NativeScenario, NativeStep } from './binding.js';
import type { ObservedStep, ScenarioRun } from '../model/observed.js';
import { observationKind } from './observations/index.js';


/** What a scenario runs over and asks for, besides its commands. */
export interface RunSettings {
  /** A transport name (default tcp). */
  transport?: string;
  /** Interest names ([] is events=0); default haproxy's IN OUT RDHUP. */
  interest?: string[];
  timeoutMs?: number;
}

/** The addon's form of a scenario: its commands and settings. */
export function nativeScenario(commands: NativeCommand[], settings: RunSettings = {}): NativeScenario {
  const { transport, interest, timeoutMs } = settings;
  return {
    commands,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(transport !== undefined ? { transport } : {}),
    ...(interest !== undefined ? { interest } : {}),
  };
}

export class Runner {
  private tables: Record<string, FlagTable> | undefined;

  constructor(readonly binding: Binding) {}

  /** Runs commands that each name their backend. */
  runCommands(commands: NativeCommand[], settings: RunSettings = {}): ScenarioRun {
    return this.decodeRun(this.binding.run(nativeScenario(commands, settings)));
  }

  /** A result as the addon returned it, with its steps decoded. */
  decodeRun(result: NativeRunResult): ScenarioRun {
    return { ...result, steps: result.steps.map((step) => this.decode(step)) };
  }

  private decode(step: NativeStep): ObservedStep {
    const obs = step.observation;
    if (!obs || !step.backend || obs.notMeasured !== undefined) return step;
    this.tables ??= this.binding.flagTables();
    return observationKind(obs.kind)?.decode(step, this.tables) ?? step;
  }
}
