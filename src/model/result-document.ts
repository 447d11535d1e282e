// The shapes of a result document and of a merged one (their JSON Schemas are
// src/model/schema/*.schema.json); document.ts builds and reads them.
import type { BackendInfo, ObservedStep, UnstableStep } from './observed.js';
import type { AddonBuild, Platform } from './platform.js';

export interface RunRecord {
  /** The first of the repeated runs. */
  steps: ObservedStep[];
  stopped: string | null;
  setupError: string | null;
  leaked: number[];
  /** `pol` steps whose cell was not the same in every repeated run. */
  unstable?: UnstableStep[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  shows: string;
  transport: string;
  /** haproxy syntax; `pollmatrix trace -v <steps>` reproduces it. */
  steps: string;
  /** What every `pol` asked for, when not haproxy's IN OUT RDHUP. */
  interest?: string[];
  /** backend name -> what that backend's run observed. */
  runs: Record<string, RunRecord>;
}

export interface ResultDocument {
  schemaVersion: number;
  tool: 'pollmatrix';
  platform: Platform & { date: string };
  timeoutMs: number;
  /** How many times each scenario ran per backend (instability shows). */
  repeat: number;
  /** The backends this document measured, in column order. */
  backends: string[];
  /** Every backend pollmatrix knows, with availability here and why not. */
  mechanisms: BackendInfo[];
  scenarios: ScenarioResult[];
  /** Set when the run was stopped (Ctrl-C): `after 12 of 59 scenarios`. */
  interrupted?: string;
  /** Transports whose scenarios were not run, each with why not (the
   * kernel has no such object, or what it would report is an artefact:
   * transports()'s reason); absent when every transport ran. */
  transportsNotMeasured?: Record<string, string>;
}

/** What `merge --format json` writes (src/schema/merge.schema.json). */
export interface MergedDocument {
  schemaVersion: number;
  tool: 'pollmatrix';
  kind: 'merge';
  columns: Array<{ label: string; os: string; kernel: string; arch: string; measuredIn?: string; addon?: AddonBuild; backend: string }>;
  rows: Array<{ scenario: string; steps: string; step: string; differs: boolean; cells: string[] }>;
  documents: ResultDocument[];
}
