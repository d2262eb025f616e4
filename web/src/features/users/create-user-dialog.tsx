import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { CreatedUser, Role, User } from "../../api/types.ts";
import { createUser } from "../../api/users.ts";
import { CopyField } from "../../components/copy-field.tsx";
import { PasswordField } from "../../components/password-field.tsx";
import { ErrorState } from "../../components/status.tsx";
import { type PickedUnit, UnitPicker } from "../../components/unit-picker.tsx";
import { scopeLevels } from "../../lib/access.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import {
  defaultUnitForRole,
  type FieldErrors,
  readProblem,
  rolesGrantableBy,
  scopeHint,
  usernamePattern,
} from "./user-form.ts";

interface CreateUserDialogProps {
  me: User;
  opened: boolean;
  onClose: () => void;
  onCreated: (created: CreatedUser) => void;
}

/** "Tạo tài khoản": the form, then the account made, with its generated password shown this once. */
export function CreateUserDialog({ me, opened, onClose, onCreated }: CreateUserDialogProps) {
  const { t } = useAccountText();
  const isPhone = useMediaQuery("(max-width: 36em)");
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t("userForm.createTitle")}
      size="lg"
      fullScreen={isPhone}
      // The generated password exists only in this dialog: a stray click beside it must not lose it.
      closeOnClickOutside={created === null}
    >
      {created ? (
        <Created created={created} onDone={close} />
      ) : (
        <CreateForm
          me={me}
          onCancel={close}
          onCreated={(result) => {
            setCreated(result);
            onCreated(result);
          }}
        />
      )}
    </Modal>
  );
}

function CreateForm({
  me,
  onCancel,
  onCreated,
}: {
  me: User;
  onCancel: () => void;
  onCreated: (created: CreatedUser) => void;
}) {
  const { t, roleLabel, weakPasswordText } = useAccountText();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role | null>(null);
  const [unit, setUnit] = useState<PickedUnit | null>(null);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: createUser,
    onSuccess: onCreated,
    onError: (error) => setErrors(readProblem(error, t, weakPasswordText).fields),
  });
  const problem = mutation.isError ? readProblem(mutation.error, t, weakPasswordText) : null;
  const needsUnit = role !== null && scopeLevels[role].length > 0;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!usernamePattern.test(username.trim()))
      found.username = username.trim() ? t("userForm.usernameInvalid") : t("common.required");
    if (!displayName.trim()) found.displayName = t("common.required");
    if (!role) found.role = t("common.required");
    if (needsUnit && !unit) found.scope = t("common.required");
    setErrors(found);
    if (Object.keys(found).length > 0 || !role) return;
    mutation.mutate({
      username: username.trim(),
      displayName: displayName.trim(),
      role,
      scopeCode: needsUnit ? (unit?.code ?? null) : null,
      ...(password ? { password } : {}),
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {problem?.isForbidden && (
          <Alert color="red" variant="light" role="alert">
            {t("userForm.forbidden")}
          </Alert>
        )}
        {problem?.other ? <ErrorState error={problem.other} /> : null}
        <TextInput
          label={t("userForm.username")}
          description={t("userForm.usernameHint")}
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          error={errors.username}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={64}
          data-autofocus
        />
        <TextInput
          label={t("userForm.displayName")}
          description={t("userForm.displayNameHint")}
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
          error={errors.displayName}
          autoComplete="off"
          maxLength={200}
        />
        <Select
          label={t("userForm.role")}
          placeholder={t("userForm.rolePlaceholder")}
          data={rolesGrantableBy(me).map((r) => ({ value: r, label: roleLabel(r) }))}
          value={role}
          onChange={(value) => {
            const next = (value as Role | null) ?? null;
            setRole(next);
            setUnit((current) => defaultUnitForRole(me, next, current));
          }}
          error={errors.role}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        {role !== null &&
          (needsUnit ? (
            <UnitPicker
              label={t("userForm.scope")}
              description={scopeHint(role, t)}
              value={unit}
              onChange={setUnit}
              levels={scopeLevels[role]}
              withinCode={me.scope?.code ?? null}
              error={errors.scope}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t("userForm.scopeNone")}
            </Text>
          ))}
        <PasswordField
          label={t("userForm.password")}
          description={t("userForm.passwordHint")}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password}
          autoComplete="new-password"
          maxLength={200}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t("userForm.submitCreate")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Created({ created, onDone }: { created: CreatedUser; onDone: () => void }) {
  const { t } = useAccountText();
  return (
    <Stack gap="md">
      <Title order={2} size="h4" role="status">
        {t("userForm.createdTitle", { username: created.user.username })}
      </Title>
      {created.initialPassword ? (
        <Alert color="yellow" variant="light">
          <Stack gap="sm">
            <Text size="sm">{t("userForm.initialPasswordWarning", { name: created.user.displayName })}</Text>
            <CopyField label={t("userForm.initialPassword")} value={created.initialPassword} />
          </Stack>
        </Alert>
      ) : (
        <Text>{t("userForm.ownPassword", { name: created.user.displayName })}</Text>
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t("userForm.done")}</Button>
      </Group>
    </Stack>
  );
}
