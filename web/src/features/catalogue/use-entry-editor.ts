import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { currentEntryOf } from "./api.ts";
import { changedFields, type FieldErrors, type SaveProblem, useSaveProblem } from "./entry-form.tsx";
import type { ShownProblem } from "./expression-editor.tsx";

interface EntryEditorOptions<
  E extends { code: string; version: number },
  V extends { code: string },
  S extends V,
> {
  /** The entry being edited, or null for a new one. */
  entry: E | null;
  valuesOf: (entry: E) => V;
  blank: V;
  create: (values: S) => Promise<unknown>;
  /** Sends only the fields that changed, with the version the form was based on. */
  update: (code: string, patch: Partial<S> & { version: number }) => Promise<unknown>;
  onSaved: (code: string) => void;
  onCancel: () => void;
  /** A refused save that is not a conflict, after its field messages are shown (formula problems, say). */
  onProblem?: (problem: SaveProblem, sent: S) => void;
}

/**
 * The state every catalogue dialog keeps: the values being typed, the entry they are based on (its version goes with
 * the change), field errors, and the newer entry a conflicting save brought back. One hook, so that each dialog
 * declares only its fields and checks.
 */
export function useEntryEditor<
  E extends { code: string; version: number },
  V extends { code: string },
  S extends V = V,
>(options: EntryEditorOptions<E, V, S>) {
  const { valuesOf } = options;
  const readProblem = useSaveProblem();
  const [base, setBase] = useState<E | null>(options.entry);
  const [values, setValues] = useState<V>(() => (options.entry ? valuesOf(options.entry) : options.blank));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<E | null>(null);

  const set = <K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const mutation = useMutation({
    mutationFn: async (sent: S) => {
      if (!base) return options.create(sent);
      const { code: _code, ...patch } = changedFields<V>(valuesOf(base), sent);
      return options.update(base.code, { ...(patch as Partial<S>), version: base.version });
    },
    onSuccess: (_, sent) => options.onSaved(sent.code),
    onError: (error, sent) => {
      const current = base ? currentEntryOf(error, base) : null;
      if (current && base) {
        // Rebase: a field this form did not touch takes the colleague's value, so that saving again writes only
        // this form's own changes on top of theirs and never puts back what they replaced.
        const before = valuesOf(base);
        const theirs = valuesOf(current);
        setValues((mine) => {
          const next = { ...mine };
          for (const key of Object.keys(theirs) as Array<keyof V>)
            if (mine[key] === before[key]) next[key] = theirs[key];
          return next;
        });
        setBase(current);
        setConflict(current);
        return;
      }
      const problem = readProblem(error);
      setErrors(problem.fields);
      options.onProblem?.(problem, sent);
    },
  });

  /**
   * Shows what the form's own checks found; when they found nothing, sends the tidied values, unless they change
   * nothing (a save would only bump the version under someone else's feet).
   */
  const submit = (found: FieldErrors, tidy: S | null) => {
    setErrors(found);
    if (Object.values(found).some(Boolean) || tidy === null) return;
    if (base && Object.keys(changedFields<V>(valuesOf(base), tidy)).length === 0) return options.onCancel();
    setConflict(null);
    mutation.mutate(tidy);
  };

  /** Drops the typed changes for the entry as it now stands. */
  const takeCurrent = () => {
    if (!conflict) return;
    setValues(valuesOf(conflict));
    setConflict(null);
  };

  return {
    base,
    values,
    errors,
    conflict,
    set,
    submit,
    takeCurrent,
    isSaving: mutation.isPending,
    problem: mutation.isError && !conflict ? readProblem(mutation.error) : null,
  };
}

/**
 * Problems the server found in formula fields on saving, kept while the text they point into is unchanged; until
 * then a field shows its own local check.
 */
export function useFormulaProblems<F extends string>(fields: readonly F[]) {
  const [server, setServer] = useState<Partial<Record<F, { text: string; problem: ShownProblem }>>>({});
  return {
    hasServerProblem: (field: F) => server[field] !== undefined,
    problemOf: (field: F, text: string, local: ShownProblem | null): ShownProblem | null => {
      const found = server[field];
      return found && found.text === text ? found.problem : local;
    },
    remember: (problem: SaveProblem, sent: Record<F, string>) => {
      const next: Partial<Record<F, { text: string; problem: ShownProblem }>> = {};
      for (const field of fields) {
        const p = problem.expressions[field];
        if (p) next[field] = { text: sent[field], problem: p };
      }
      setServer(next);
    },
  };
}
