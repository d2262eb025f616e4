import { ApiError, fieldErrors } from "../../api/client.ts";
import {
  type CurrentValue,
  conflictCurrent,
  type Entry,
  type FormElement,
  type RawValue,
  type Report,
  type SaveResult,
  type StoredValue,
  saveValue,
  type Target,
  type Violation,
} from "./api.ts";
import { type QueuedValue, queueKey, valueQueue } from "./offline-queue.ts";
import { displayRaw, displayValue, parseInput, sameValue } from "./values.ts";

/** How long typing may pause before the value is saved (and blur saves at once). */
export const saveDelayMs = 600;
/** How often values waiting for the network are tried again, besides the browser's "online" event. */
export const retryDelayMs = 10_000;

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "queued" }
  | { kind: "error"; message: string }
  | { kind: "conflict"; mine: RawValue; mineComment: string | null; current: CurrentValue };

export interface FieldState {
  element: FormElement;
  /** What the input shows. */
  text: string;
  comment: string;
  /** Why the text cannot be saved as the element's type, found as it is typed. */
  typeError: "notNumber" | "notInteger" | "tooLong" | "ambiguous" | null;
  /** The two readings of an ambiguous number ("1.250"), for the question the field asks. */
  readings: { grouped: number; decimal: number } | null;
  /** What the server holds, and its version (0: no value). */
  stored: string | null;
  storedComment: string | null;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  save: SaveState;
}

export interface EntryMeta {
  report: Report;
  violations: Violation[];
  /** False after a save failed for want of a network, until one succeeds or the browser says it is back. */
  isOnline: boolean;
  isFlushing: boolean;
  /** A send answered 401: the values stay queued until the person signs in again. */
  isSessionEnded: boolean;
}

type Listener = () => void;

/**
 * The live state of one data-entry screen: every field's text, its save state and the server version it was based
 * on, the failed checks and the report. Values are saved one by one as they are typed; a value whose save fails for
 * want of a network goes to the persistent queue (offline-queue.ts) and is sent, in order, when the network returns.
 * Kept outside React so that timers and sends outlive a re-render, and each field re-renders alone.
 */
export class EntryStore {
  readonly target: Target;
  private readonly elements = new Map<string, FormElement>();
  private fields = new Map<string, FieldState>();
  private meta: EntryMeta;
  private readonly listeners = new Set<Listener>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly resend = new Set<string>();
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  private unitName: string;
  private language: string;
  private disposed = false;
  private lastCsrfRefresh = 0;

  constructor(
    entry: Entry,
    language: string,
    private readonly hooks: {
      /** The server said the report changed status (submitted, locked): reload it. */
      onReportChanged: () => void;
      /** The session's CSRF token was refused: fetch the current one (GET /auth/me). */
      onCsrfStale: () => Promise<void>;
    },
  ) {
    this.target = { form: entry.form.code, unit: entry.unit.code, period: entry.period.code };
    this.unitName = entry.unit.name;
    this.language = language;
    for (const section of entry.form.sections)
      for (const element of section.elements) this.elements.set(element.code, element);
    const stored = new Map(entry.values.map((v) => [v.element, v]));
    for (const element of this.elements.values()) {
      const value = stored.get(element.code);
      this.fields.set(element.code, {
        element,
        text: displayValue(value?.value, element.valueType, language),
        comment: value?.comment ?? "",
        typeError: null,
        readings: null,
        stored: value?.value ?? null,
        storedComment: value?.comment ?? null,
        version: value?.version ?? 0,
        updatedAt: value?.updatedAt ?? null,
        updatedBy: value?.updatedBy ?? null,
        save: { kind: "idle" },
      });
    }
    // Values typed here earlier without a network (perhaps before a reload) show in their fields, waiting.
    for (const queued of valueQueue.forTarget(this.target)) {
      const field = this.fields.get(queued.element);
      if (!field) continue;
      this.fields.set(queued.element, {
        ...field,
        text: displayRaw(queued.value, field.element.valueType, language),
        comment: queued.comment ?? "",
        save: { kind: "queued" },
      });
    }
    this.meta = {
      report: entry.report,
      violations: entry.violations,
      isOnline: typeof navigator === "undefined" ? true : navigator.onLine,
      isFlushing: false,
      isSessionEnded: false,
    };
  }

  /** Starts listening to the network and sends what is waiting. Returns the clean-up. */
  start(): () => void {
    const online = () => {
      this.setMeta({ isOnline: true });
      void this.flush();
    };
    const offline = () => this.setMeta({ isOnline: false });
    // A reload or a closed tab must not lose a value still waiting for its debounce or its answer.
    const leaving = () => this.persistPending();
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    window.addEventListener("pagehide", leaving);
    this.retryTimer = setInterval(() => {
      if (valueQueue.forTarget(this.target).length) void this.flush();
    }, retryDelayMs);
    if (valueQueue.forTarget(this.target).length) void this.flush();
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      window.removeEventListener("pagehide", leaving);
      clearInterval(this.retryTimer);
      // Leaving the page: what was typed and not yet sent is sent now (or queued if that fails).
      for (const element of [...this.timers.keys()]) this.commit(element);
      this.disposed = true;
    };
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getField(element: string): FieldState | undefined {
    return this.fields.get(element);
  }

  getMeta = (): EntryMeta => this.meta;

  /** The values of this screen waiting for the network. */
  queued(): QueuedValue[] {
    return valueQueue.forTarget(this.target);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private setField(element: string, change: Partial<FieldState>): void {
    const field = this.fields.get(element);
    if (!field) return;
    this.fields.set(element, { ...field, ...change });
    this.emit();
  }

  private setMeta(change: Partial<EntryMeta>): void {
    this.meta = { ...this.meta, ...change };
    this.emit();
  }

  /** The UI language numbers are read in. */
  readingLanguage(): string {
    return this.language;
  }

  setLanguage(language: string): void {
    if (language === this.language) return;
    const before = this.language;
    this.language = language;
    for (const [code, field] of this.fields) {
      const parsed = this.parse(field, field.text, before);
      if (parsed.ok && typeof parsed.value === "number")
        this.fields.set(code, {
          ...field,
          text: displayRaw(parsed.value, field.element.valueType, language),
        });
    }
    this.emit();
  }

  /** The person typed: checked against the type at once, saved after a pause. */
  setText(element: string, text: string): void {
    const field = this.fields.get(element);
    if (!field) return;
    const parsed = this.parse(field, text);
    this.setField(element, {
      text,
      typeError: parsed.ok ? null : parsed.reason,
      readings:
        !parsed.ok && parsed.reason === "ambiguous"
          ? { grouped: parsed.grouped, decimal: parsed.decimal }
          : null,
    });
    this.schedule(element, field.element.valueType === "boolean" ? 0 : saveDelayMs);
  }

  setComment(element: string, comment: string): void {
    this.setField(element, { comment });
    this.schedule(element, saveDelayMs);
  }

  private schedule(element: string, delay: number): void {
    clearTimeout(this.timers.get(element));
    this.timers.set(
      element,
      setTimeout(() => {
        this.timers.delete(element);
        void this.save(element);
      }, delay),
    );
  }

  /** Texts whose reading the person settled ("1.250" meant 1250), per element. */
  private readonly answers = new Map<string, Map<string, number>>();

  private remember(element: string, text: string, value: number): void {
    const known = this.answers.get(element) ?? new Map<string, number>();
    known.set(text.trim(), value);
    this.answers.set(element, known);
  }

  /**
   * The field's text read for its type. A text that could be read two ways is not guessed: unless the person
   * settled it, or it is how the screen itself shows the stored value, it stays a question.
   */
  private parse(field: FieldState, text: string, language = this.language) {
    const parsed = parseInput(text, field.element.valueType, language);
    if (parsed.ok || parsed.reason !== "ambiguous") return parsed;
    const settled = this.answers.get(field.element.code)?.get(text.trim());
    if (settled !== undefined) return { ok: true as const, value: settled };
    if (
      field.stored !== null &&
      text.trim() === displayValue(field.stored, field.element.valueType, language)
    )
      return { ok: true as const, value: Number(field.stored) };
    return parsed;
  }

  /** The person answered the question about an ambiguous number: that reading is saved. */
  chooseReading(element: string, value: number): void {
    const field = this.fields.get(element);
    if (!field) return;
    const text = displayRaw(value, field.element.valueType, this.language);
    this.remember(element, field.text, value);
    this.remember(element, text, value);
    this.setText(element, text);
    this.commit(element);
  }

  /** Leaving a field (blur, Enter): save now, and show a number the way the UI language writes it. */
  commit(element: string): void {
    const hadTimer = this.timers.has(element);
    clearTimeout(this.timers.get(element));
    this.timers.delete(element);
    const field = this.fields.get(element);
    if (!field) return;
    const parsed = this.parse(field, field.text);
    if (parsed.ok && typeof parsed.value === "number") {
      const text = displayRaw(parsed.value, field.element.valueType, this.language);
      this.remember(element, text, parsed.value);
      this.setField(element, { text });
    }
    if (hadTimer) void this.save(element);
  }

  /** Saves every field with a pending change now, and resolves when every send has been answered. */
  async settle(): Promise<void> {
    for (const element of [...this.timers.keys()]) this.commit(element);
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  private payload(field: FieldState): { value: RawValue; comment: string | null } | null {
    const parsed = this.parse(field, field.text);
    if (!parsed.ok) return null;
    return { value: parsed.value, comment: field.comment.trim() === "" ? null : field.comment.trim() };
  }

  private async save(element: string): Promise<void> {
    const field = this.fields.get(element);
    if (!field || this.meta.report.isLocked) return;
    const payload = this.payload(field);
    if (!payload) return;
    const key = queueKey(this.target, element);
    if (valueQueue.get(key)) {
      // Already waiting: the newer value takes the waiting one's place, and goes out with the queue, in order.
      this.enqueue(field, payload, valueQueue.get(key)?.expectedVersion ?? field.version);
      if (this.meta.isOnline) void this.flush();
      return;
    }
    const unchanged =
      sameValue(payload.value, field.stored) && (payload.comment ?? null) === (field.storedComment ?? null);
    if (unchanged) {
      if (field.save.kind === "error" || field.save.kind === "conflict")
        this.setField(element, { save: { kind: "idle" } });
      return;
    }
    if (this.inFlight.has(element)) {
      this.resend.add(element);
      return;
    }
    if (typeof navigator !== "undefined" && !navigator.onLine) {
      this.setMeta({ isOnline: false });
      this.enqueue(field, payload, field.version);
      return;
    }
    const sending = this.send(element, payload, field.version);
    this.inFlight.set(element, sending);
    await sending;
  }

  private async send(
    element: string,
    payload: { value: RawValue; comment: string | null },
    expectedVersion: number,
  ): Promise<void> {
    this.setField(element, { save: { kind: "saving" } });
    try {
      const result = await saveValue({ ...this.target, element, ...payload, expectedVersion });
      this.applySaved(element, result);
      if (!this.meta.isOnline) this.setMeta({ isOnline: true });
    } catch (err: unknown) {
      this.handleFailure(element, err, payload, expectedVersion);
    } finally {
      this.inFlight.delete(element);
      if (this.resend.delete(element)) await this.save(element);
    }
  }

  private enqueue(
    field: FieldState,
    payload: { value: RawValue; comment: string | null },
    expectedVersion: number,
  ) {
    valueQueue.put({
      ...this.target,
      element: field.element.code,
      value: payload.value,
      comment: payload.comment,
      expectedVersion,
      names: { vi: field.element.nameVi, en: field.element.nameEn },
      unitName: this.unitName,
    });
    this.setField(field.element.code, { save: { kind: "queued" } });
  }

  private applySaved(element: string, result: SaveResult): void {
    this.takeStored(element, result.value, { kind: "saved", at: new Date().toISOString() });
    this.setMeta({
      report: result.report,
      violations: [
        ...this.meta.violations.filter((v) => !v.elements.includes(element)),
        ...result.violations,
      ],
    });
  }

  private takeStored(element: string, value: StoredValue | CurrentValue, save: SaveState): void {
    this.setField(element, {
      stored: value?.value ?? null,
      storedComment: value?.comment ?? null,
      version: value?.version ?? 0,
      updatedAt: value?.updatedAt ?? null,
      updatedBy: value?.updatedBy ?? null,
      save,
    });
  }

  private handleFailure(
    element: string,
    err: unknown,
    payload: { value: RawValue; comment: string | null },
    expectedVersion: number,
  ): void {
    const field = this.fields.get(element);
    if (!field) return;
    if (isRetriable(err)) {
      this.noteRetriable(err);
      this.enqueue(field, payload, expectedVersion);
      return;
    }
    this.refuse(element, err, payload);
  }

  /** The server refused the value for good: say why in the field (the typed text stays for the person to fix). */
  private refuse(element: string, err: unknown, payload: { value: RawValue; comment: string | null }): void {
    const current = conflictCurrent(err);
    if (current !== undefined) {
      // Someone saved meanwhile. If they saved the very same value (our own earlier send, whose answer was lost
      // with the connection), there is nothing to decide.
      if (
        sameValue(payload.value, current?.value ?? null) &&
        (current?.comment ?? null) === payload.comment
      ) {
        this.takeStored(element, current, { kind: "saved", at: new Date().toISOString() });
        return;
      }
      this.setField(element, {
        save: { kind: "conflict", mine: payload.value, mineComment: payload.comment, current },
      });
      return;
    }
    const message = fieldErrors(err)[0]?.message ?? (err instanceof Error ? err.message : String(err));
    this.setField(element, { save: { kind: "error", message } });
    if (err instanceof ApiError && (err.code === "report_submitted" || err.code === "report_locked"))
      this.hooks.onReportChanged();
  }

  private noteRetriable(err: unknown): void {
    if (!(err instanceof ApiError)) return;
    if (err.status === 0) this.setMeta({ isOnline: false });
    if (err.status === 401) this.setMeta({ isSessionEnded: true });
    // A new token, then the queue again: the values are already waiting there.
    if (err.code === "csrf_failed" && Date.now() - this.lastCsrfRefresh > retryDelayMs) {
      this.lastCsrfRefresh = Date.now();
      void this.hooks.onCsrfStale().then(
        () => this.flush(),
        () => undefined,
      );
    }
  }

  /** Sends the waiting values of this screen, oldest first; stops at the first that the network fails. */
  async flush(): Promise<void> {
    if (this.meta.isFlushing || this.disposed) return;
    this.setMeta({ isFlushing: true });
    try {
      for (;;) {
        const next = valueQueue.forTarget(this.target)[0];
        if (!next) break;
        if (this.inFlight.has(next.element)) await this.inFlight.get(next.element);
        const sent = await this.sendQueued(next);
        if (!sent) break;
      }
    } finally {
      this.setMeta({ isFlushing: false });
    }
  }

  /** One queued value: true when it is done with (taken or refused), false when it must wait longer. */
  private async sendQueued(item: QueuedValue): Promise<boolean> {
    const payload = { value: item.value, comment: item.comment };
    const hasField = this.fields.has(item.element);
    if (hasField) this.setField(item.element, { save: { kind: "saving" } });
    try {
      const result = await saveValue({
        ...this.target,
        element: item.element,
        ...payload,
        expectedVersion: item.expectedVersion,
      });
      valueQueue.settle(item.key, item.rev, result.value?.version ?? 0);
      if (hasField) this.applySaved(item.element, result);
      if (valueQueue.get(item.key)) this.setField(item.element, { save: { kind: "queued" } });
      this.setMeta({ isOnline: true, isSessionEnded: false });
      return true;
    } catch (err: unknown) {
      if (isRetriable(err)) {
        if (hasField) this.setField(item.element, { save: { kind: "queued" } });
        this.noteRetriable(err);
        return false;
      }
      valueQueue.remove(item.key);
      if (hasField) this.refuse(item.element, err, payload);
      return true;
    }
  }

  /** Keep my value: send it again over the current one. */
  keepMine(element: string): void {
    const field = this.fields.get(element);
    if (field?.save.kind !== "conflict") return;
    const { mine, mineComment, current } = field.save;
    this.takeStored(element, current, { kind: "idle" });
    const sending = this.send(element, { value: mine, comment: mineComment }, current?.version ?? 0);
    this.inFlight.set(element, sending);
  }

  /** Take the current value: the field shows what the server holds. */
  takeCurrent(element: string): void {
    const field = this.fields.get(element);
    if (field?.save.kind !== "conflict") return;
    const { current } = field.save;
    this.takeStored(element, current, { kind: "idle" });
    this.setField(element, {
      text: displayValue(current?.value, field.element.valueType, this.language),
      comment: current?.comment ?? "",
      typeError: null,
      readings: null,
    });
  }

  /** After a check, an import or a status change: take the server's state for every field not being edited. */
  refresh(entry: Entry): void {
    const stored = new Map(entry.values.map((v) => [v.element, v]));
    for (const [code, field] of this.fields) {
      const busy =
        this.timers.has(code) ||
        this.inFlight.has(code) ||
        valueQueue.get(queueKey(this.target, code)) !== undefined ||
        field.save.kind === "conflict" ||
        field.save.kind === "error" ||
        field.typeError !== null;
      if (busy) continue;
      const value = stored.get(code);
      this.fields.set(code, {
        ...field,
        text: displayValue(value?.value, field.element.valueType, this.language),
        comment: value?.comment ?? "",
        stored: value?.value ?? null,
        storedComment: value?.comment ?? null,
        version: value?.version ?? 0,
        updatedAt: value?.updatedAt ?? null,
        updatedBy: value?.updatedBy ?? null,
      });
    }
    this.meta = { ...this.meta, report: entry.report, violations: entry.violations };
    this.emit();
  }

  setReport(report: Report): void {
    this.setMeta({ report });
  }

  /** Queues, synchronously, every value typed but not yet answered, so that a reload finds it. */
  private persistPending(): void {
    for (const code of new Set([...this.timers.keys(), ...this.inFlight.keys()])) {
      const field = this.fields.get(code);
      const payload = field && this.payload(field);
      if (!field || !payload || this.meta.report.isLocked) continue;
      if (sameValue(payload.value, field.stored) && payload.comment === field.storedComment) continue;
      this.enqueue(
        field,
        payload,
        valueQueue.get(queueKey(this.target, code))?.expectedVersion ?? field.version,
      );
    }
  }
}

/**
 * Failures worth waiting out with the value kept: no network (status 0), a server error or a gateway timing out, a
 * session that ended (the person signs in again), a stale CSRF token. Anything else is the server's final word.
 */
function isRetriable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.status === 0 || err.status >= 500 || err.status === 401 || err.code === "csrf_failed";
}
