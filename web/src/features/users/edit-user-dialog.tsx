import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client.ts";
import type { Role, User } from "../../api/types.ts";
import { type UpdateUserInput, updateUser } from "../../api/users.ts";
import common from "../../components/common.module.css";
import { PasswordField } from "../../components/password-field.tsx";
import { ErrorState } from "../../components/status.tsx";
import { type PickedUnit, UnitPicker } from "../../components/unit-picker.tsx";
import { scopeLevels } from "../../lib/access.ts";
import { lockedParts, useAccountText } from "../../lib/use-account-text.ts";
import {
  type FieldErrors,
  pickedFromScope,
  readProblem,
  rolesGrantableBy,
  scopeHint,
  unitForRole,
} from "./user-form.ts";
import classes from "./users.module.css";

interface EditUserDialogProps {
  me: User;
  /** The account as the list showed it; null while the dialog is closed. */
  user: User | null;
  onClose: () => void;
  onSaved: (user: User) => void;
}

/** "Sửa tài khoản": one account's name, role, unit, status, lockout and password, with the reason for the log. */
export function EditUserDialog({ me, user, onClose, onSaved }: EditUserDialogProps) {
  const { t } = useAccountText();
  const isPhone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user ? t("userForm.editTitle", { username: user.username }) : ""}
      size="lg"
      fullScreen={isPhone}
    >
      {/* Keyed by account: another row opens a fresh form. */}
      {user && <EditForm key={user.id} me={me} user={user} onCancel={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

interface FormValues {
  displayName: string;
  role: Role;
  unit: PickedUnit | null;
  isDisabled: boolean;
}

const valuesOf = (user: User): FormValues => ({
  displayName: user.displayName,
  role: user.role,
  unit: pickedFromScope(user.scope),
  isDisabled: user.isDisabled,
});

function EditForm({
  me,
  user,
  onCancel,
  onSaved,
}: {
  me: User;
  user: User;
  onCancel: () => void;
  onSaved: (user: User) => void;
}) {
  const { t, roleLabel, weakPasswordText } = useAccountText();
  /** The account as last read from the server: its version goes with the change. */
  const [base, setBase] = useState(user);
  const [values, setValues] = useState<FormValues>(() => valuesOf(user));
  const [unlock, setUnlock] = useState(false);
  const [password, setPassword] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<User | null>(null);
  const [isUnchanged, setUnchanged] = useState(false);
  const [isGone, setGone] = useState(false);

  const isSelf = user.id === me.id;
  const grantable = rolesGrantableBy(me);
  /** An account whose role this administrator may not give is not theirs to re-role or re-scope either. */
  const mayChangeRole = !isSelf && grantable.includes(base.role);
  const mayChangeScope = grantable.includes(values.role) && !isSelf;
  const needsUnit = scopeLevels[values.role].length > 0;
  const roleOptions = (grantable.includes(values.role) ? grantable : [values.role, ...grantable]).map(
    (r) => ({
      value: r,
      label: roleLabel(r),
    }),
  );

  const mutation = useMutation({
    mutationFn: (input: UpdateUserInput) => updateUser(user.id, input),
    onSuccess: onSaved,
    onError: (error) => {
      if (error instanceof ApiError && error.code === "stale_version") {
        const current = readCurrent(error.details);
        if (current) {
          setBase(current);
          setConflict(current);
        } else setGone(true);
        return;
      }
      if (error instanceof ApiError && error.status === 404) setGone(true);
      setErrors(readProblem(error, t, weakPasswordText).fields);
    },
  });
  const problem =
    mutation.isError &&
    !(
      mutation.error instanceof ApiError &&
      (mutation.error.code === "stale_version" || mutation.error.status === 404)
    )
      ? readProblem(mutation.error, t, weakPasswordText)
      : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!values.displayName.trim()) found.displayName = t("common.required");
    if (needsUnit && !values.unit) found.scope = t("common.required");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const input: UpdateUserInput = { version: base.version };
    if (values.displayName.trim() !== base.displayName) input.displayName = values.displayName.trim();
    if (values.role !== base.role) input.role = values.role;
    const scopeCode = needsUnit ? (values.unit?.code ?? null) : null;
    if (scopeCode !== (base.scope?.code ?? null) || input.role) input.scopeCode = scopeCode;
    if (values.isDisabled !== base.isDisabled) input.isDisabled = values.isDisabled;
    if (unlock && base.lockedUntil) input.unlock = true;
    if (password) input.password = password;
    const hasChange = Object.keys(input).length > 1;
    setUnchanged(!hasChange);
    if (!hasChange) return;
    if (reason.trim()) input.reason = reason.trim();
    setConflict(null);
    mutation.mutate(input);
  };

  if (isGone) {
    return (
      <Stack gap="md">
        <Alert color="red" variant="light" role="alert">
          {t("userForm.gone")}
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onCancel}>{t("common.close")}</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {conflict && (
          <StaleNotice
            current={conflict}
            mine={values}
            onUseCurrent={() => {
              setValues(valuesOf(conflict));
              setConflict(null);
            }}
          />
        )}
        {problem?.isForbidden && (
          <Alert color="red" variant="light" role="alert">
            {t("userForm.forbidden")}
          </Alert>
        )}
        {problem?.other ? <ErrorState error={problem.other} /> : null}
        {isSelf && (
          <Text size="sm" c="dimmed">
            {t("userForm.selfHint")}
          </Text>
        )}
        <TextInput
          label={t("userForm.displayName")}
          value={values.displayName}
          onChange={(event) => {
            const displayName = event.currentTarget.value;
            setValues((v) => ({ ...v, displayName }));
          }}
          error={errors.displayName}
          autoComplete="off"
          maxLength={200}
          data-autofocus
        />
        <Select
          label={t("userForm.role")}
          description={
            mayChangeRole || isSelf ? undefined : t("userForm.roleLocked", { role: roleLabel(base.role) })
          }
          data={roleOptions}
          value={values.role}
          onChange={(value) => {
            if (!value) return;
            const role = value as Role;
            setValues((v) => ({ ...v, role, unit: unitForRole(v.unit, role) }));
          }}
          error={errors.role}
          allowDeselect={false}
          disabled={!mayChangeRole}
          comboboxProps={{ withinPortal: true }}
        />
        {needsUnit ? (
          <UnitPicker
            label={t("userForm.scope")}
            description={scopeHint(values.role, t)}
            value={values.unit}
            onChange={(unit) => setValues((v) => ({ ...v, unit }))}
            levels={scopeLevels[values.role]}
            withinCode={me.scope?.code ?? null}
            error={errors.scope}
            disabled={!mayChangeScope}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t("userForm.scopeNone")}
          </Text>
        )}
        <Checkbox
          label={t("userForm.isDisabled")}
          description={t("userForm.isDisabledHint")}
          checked={values.isDisabled}
          onChange={(event) => {
            const isDisabled = event.currentTarget.checked;
            setValues((v) => ({ ...v, isDisabled }));
          }}
          disabled={isSelf}
        />
        {base.lockedUntil && (
          <Checkbox
            label={t("userForm.unlock")}
            description={t("userForm.unlockHint", lockedParts(base.lockedUntil))}
            checked={unlock}
            onChange={(event) => setUnlock(event.currentTarget.checked)}
          />
        )}
        <PasswordField
          label={t("userForm.newPassword")}
          description={t("userForm.newPasswordHint")}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password}
          autoComplete="new-password"
          maxLength={200}
        />
        <Textarea
          label={t("userForm.reason")}
          description={t("userForm.reasonHint")}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
        />
        <div role="status" aria-live="polite">
          {isUnchanged && (
            <Text size="sm" c="dimmed">
              {t("userForm.nothingChanged")}
            </Text>
          )}
        </div>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t("userForm.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `details.current` of a 409 stale_version: the account as it is now, checked before use. */
function readCurrent(details: unknown): User | null {
  if (typeof details !== "object" || details === null || !("current" in details)) return null;
  const current = (details as { current: unknown }).current;
  if (typeof current !== "object" || current === null) return null;
  const user = current as Partial<User>;
  return typeof user.id === "number" && typeof user.version === "number" && typeof user.username === "string"
    ? (current as User)
    : null;
}

/** Someone else saved first: their values beside this form's, so the administrator decides what stands. */
function StaleNotice({
  current,
  mine,
  onUseCurrent,
}: {
  current: User;
  mine: FormValues;
  onUseCurrent: () => void;
}) {
  const { t, roleLabel, scopeLabel, userStatus } = useAccountText();
  const theirs = valuesOf(current);
  const unitText = (unit: PickedUnit | null) => (unit ? `${unit.name} (${unit.code})` : scopeLabel(null));
  const statusText = (isDisabled: boolean) => userStatus({ isDisabled, lockedUntil: null }).label;
  const rows = [
    { field: t("userForm.displayName"), current: theirs.displayName, mine: mine.displayName },
    { field: t("userForm.role"), current: roleLabel(theirs.role), mine: roleLabel(mine.role) },
    { field: t("userForm.scope"), current: unitText(theirs.unit), mine: unitText(mine.unit) },
    {
      field: t("userForm.status"),
      current: statusText(theirs.isDisabled),
      mine: statusText(mine.isDisabled),
    },
  ];
  return (
    <Alert color="orange" variant="light" title={t("userForm.staleTitle")} role="alert">
      <Stack gap="sm">
        <Text size="sm">{t("userForm.stale")}</Text>
        <Table withTableBorder verticalSpacing={4} className={classes.compare}>
          <Table.Caption className={common.visuallyHidden}>{t("userForm.staleCaption")}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("userForm.colField")}</Table.Th>
              <Table.Th scope="col">{t("userForm.colCurrent")}</Table.Th>
              <Table.Th scope="col">{t("userForm.colYours")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.field} data-differs={row.current !== row.mine || undefined}>
                <Table.Th scope="row">{row.field}</Table.Th>
                <Table.Td>{row.current}</Table.Td>
                <Table.Td>{row.mine}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group>
          <Button variant="outline" color="orange" size="xs" onClick={onUseCurrent}>
            {t("userForm.useCurrent")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
