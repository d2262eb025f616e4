import { useCallback, useSyncExternalStore } from "react";
import type { EntryMeta, EntryStore, FieldState } from "./entry-store.ts";
import { type QueuedValue, valueQueue } from "./offline-queue.ts";

/** One field's state; the field re-renders only when it changes. */
export function useField(store: EntryStore, element: string): FieldState | undefined {
  const get = useCallback(() => store.getField(element), [store, element]);
  return useSyncExternalStore(store.subscribe, get);
}

/** The report, failed checks and connection state of the screen. */
export function useEntryMeta(store: EntryStore): EntryMeta {
  return useSyncExternalStore(store.subscribe, store.getMeta);
}

/** Every value waiting for the network, whatever the form, unit or period. */
export function useQueuedValues(): QueuedValue[] {
  return useSyncExternalStore(valueQueue.subscribe, valueQueue.all);
}

/** The element's field after `current` in the page, or before it: Enter and Shift+Enter move like Tab in Excel. */
export function focusNextField(current: HTMLElement, backwards = false): void {
  const fields = [...document.querySelectorAll<HTMLElement>("[data-entry-field]")];
  const index = fields.indexOf(current);
  const next = fields[index + (backwards ? -1 : 1)];
  if (!next) return;
  next.focus();
  if (next instanceof HTMLInputElement) next.select();
}
