/** A long step's advance: tables dumped or restored, documents copied (`done` of `total`). */
export interface ProgressEvent {
  step: string;
  done?: number;
  total?: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

export const silentProgress: ProgressReporter = () => undefined;

/** Counts a step's items as they finish and reports each one. */
export function counter(progress: ProgressReporter, step: string, total: number): () => void {
  let done = 0;
  progress({ step, done, total });
  return () => {
    done += 1;
    progress({ step, done, total });
  };
}
