import { Button, Combobox, Group, ScrollArea, Text, TextInput, useCombobox } from "@mantine/core";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import type { DataElement } from "./api.ts";
import classes from "./catalogue.module.css";
import { foldText, type ReferenceAtCursor, referenceAtCursor } from "./expression.ts";
import { useCatalogueText } from "./use-catalogue-text.ts";

/** A problem to point at: from the parser in the browser, or from the server on saving. */
export interface ShownProblem {
  position: number;
  length: number;
  code: string;
  message: { vi: string; en: string };
}

interface ExpressionEditorProps {
  label: string;
  description?: string;
  value: string;
  onChange: (text: string) => void;
  /** The first problem of `value`, or null when it reads. */
  problem: ShownProblem | null;
  /** Show the problem even before the person has typed here (after trying to save). */
  isProblemShown?: boolean;
  /** The catalogue's data elements, offered while a `#{…}` is typed. */
  elements: readonly DataElement[];
  placeholder?: string;
}

const maxOptions = 60;

/**
 * A formula field: monospace, checked on every keystroke in the browser, with the first problem said in words and
 * marked in a copy of the text under the field ("Vị trí 14: …"). Typing `#` (or pressing "Chèn chỉ tiêu") lists the
 * data elements by code and name; choosing one writes `#{CODE}` where the cursor is.
 */
export function ExpressionEditor({
  label,
  description,
  value,
  onChange,
  problem,
  isProblemShown = false,
  elements,
  placeholder,
}: ExpressionEditorProps) {
  const { t, name, problemText } = useCatalogueText();
  const inputRef = useRef<HTMLInputElement>(null);
  const [isTouched, setTouched] = useState(false);
  const [reference, setReference] = useState<ReferenceAtCursor | null>(null);
  /** Where to put the cursor once React has written an inserted reference into the field. */
  const pendingCaret = useRef<number | null>(null);
  const combobox = useCombobox({
    onDropdownClose: () => combobox.resetSelectedOption(),
  });

  const options = useMemo(() => {
    if (!reference) return [];
    const query = foldText(reference.query);
    const matches = query
      ? elements.filter((e) => [e.code, e.nameVi, e.nameEn].some((field) => foldText(field).includes(query)))
      : elements;
    return matches.slice(0, maxOptions);
  }, [reference, elements]);

  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    const input = inputRef.current;
    if (caret === null || !input) return;
    pendingCaret.current = null;
    input.focus();
    input.setSelectionRange(caret, caret);
  });

  const follow = (text: string, cursor: number | null) => {
    const found = cursor === null ? null : referenceAtCursor(text, cursor);
    setReference(found);
    if (found) {
      combobox.openDropdown();
      // The first match is ready for Enter, as in any search-as-you-type list.
      requestAnimationFrame(() => combobox.selectFirstOption());
    } else combobox.closeDropdown();
  };

  const replace = (start: number, end: number, inserted: string, caretOffset = inserted.length) => {
    const next = value.slice(0, start) + inserted + value.slice(end);
    pendingCaret.current = start + caretOffset;
    setTouched(true);
    onChange(next);
    return next;
  };

  const insertElement = (code: string) => {
    if (!reference) return;
    replace(reference.start, reference.end, `#{${code}}`);
    setReference(null);
    combobox.closeDropdown();
  };

  const startReference = () => {
    const input = inputRef.current;
    const start = input?.selectionStart ?? value.length;
    const end = input?.selectionEnd ?? start;
    const next = replace(start, end, "#{");
    follow(next, start + 2);
  };

  const showProblem = problem !== null && (isTouched || isProblemShown);
  const error = showProblem ? problemText(problem, value.length) : undefined;

  return (
    <div>
      <Combobox store={combobox} onOptionSubmit={insertElement} withinPortal position="bottom-start">
        <Combobox.Target targetType="input" withAriaAttributes withKeyboardNavigation>
          <TextInput
            ref={inputRef}
            label={label}
            description={description}
            placeholder={placeholder}
            value={value}
            onChange={(event) => {
              const text = event.currentTarget.value;
              setTouched(true);
              onChange(text);
              follow(text, event.currentTarget.selectionStart);
            }}
            onSelect={(event) => {
              const input = event.currentTarget;
              // A cursor moved by click or arrow keys into or out of a reference opens or closes the list.
              if (input.selectionStart === input.selectionEnd) follow(input.value, input.selectionStart);
            }}
            onBlur={() => {
              setTouched(true);
              combobox.closeDropdown();
            }}
            error={error}
            classNames={{ input: classes.mono }}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            maxLength={2000}
            inputContainer={(input) => (
              <>
                {input}
                {showProblem && value.trim() !== "" && <Mirror text={value} problem={problem} />}
              </>
            )}
          />
        </Combobox.Target>
        <Combobox.Dropdown hidden={options.length === 0}>
          <Combobox.Options aria-label={t("expression.elementList")}>
            <ScrollArea.Autosize mah={260} type="auto">
              {options.map((element) => (
                <Combobox.Option value={element.code} key={element.code}>
                  <Text size="sm" fw={600} lh={1.3}>
                    {name(element)}
                  </Text>
                  <Text size="xs" c="dimmed" className={classes.code}>
                    {`#{${element.code}}`}
                    {element.unitOfMeasure ? ` · ${element.unitOfMeasure}` : ""}
                  </Text>
                </Combobox.Option>
              ))}
            </ScrollArea.Autosize>
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      <Group gap="xs" mt={6} wrap="wrap">
        <Button
          variant="light"
          size="compact-sm"
          onClick={startReference}
          // The field keeps its focus and cursor, so the element goes where the person was typing.
          onMouseDown={(event) => event.preventDefault()}
          aria-label={t("expression.insertElementInto", { field: label })}
        >
          {t("expression.insertElement")}
        </Button>
        <Text size="xs" c="dimmed">
          {t("expression.syntaxHint")}
        </Text>
      </Group>
    </div>
  );
}

/**
 * The text with the problem's span highlighted and underlined. Hidden from screen readers: the message under the
 * field, tied to it, already says where.
 */
function Mirror({ text, problem }: { text: string; problem: ShownProblem }) {
  const start = Math.min(Math.max(problem.position, 0), text.length);
  const end = Math.min(start + Math.max(problem.length, 0), text.length);
  return (
    <div className={classes.mirror} aria-hidden="true" data-testid="expression-mirror">
      {text.slice(0, start)}
      {end > start ? (
        <mark className={classes.mark}>{text.slice(start, end)}</mark>
      ) : (
        <span className={classes.markEnd} />
      )}
      {text.slice(end)}
    </div>
  );
}
