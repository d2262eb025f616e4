import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { createToken, revokeToken, tokenKeys, tokensQuery } from "../../api/tokens.ts";
import type { ApiToken, CreatedToken } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { CopyField } from "../../components/copy-field.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import classes from "./account.module.css";

/** The signed-in person's API tokens: the list, a new one (its secret shown once), revoking one. */
export function TokensSection() {
  const { t } = useAccountText();
  const tokens = useQuery(tokensQuery());
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoked, setRevoked] = useState<ApiToken | null>(null);

  return (
    <Stack gap="md" component="section" aria-labelledby="tokens-heading">
      <div>
        <Title order={2} size="h3" id="tokens-heading">
          {t("tokens.heading")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("tokens.intro")}
        </Text>
      </div>
      {created ? (
        <SecretOnce created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm onCreated={setCreated} />
      )}
      <div role="status" aria-live="polite">
        {revoked && (
          <Alert color="green" variant="light">
            {t("tokens.revokedDone", { name: revoked.name })}
          </Alert>
        )}
      </div>
      {tokens.isPending && <LoadingState />}
      {tokens.isError && <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />}
      {tokens.data &&
        (tokens.data.items.length === 0 ? (
          <Text c="dimmed">{t("tokens.empty")}</Text>
        ) : (
          <TokenTable tokens={tokens.data.items} onRevoked={setRevoked} />
        ))}
    </Stack>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedToken) => void }) {
  const { t } = useAccountText();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [days, setDays] = useState<string | number>("");
  const [errors, setErrors] = useState<{ name?: string; days?: string }>({});
  const mutation = useMutation({
    mutationFn: createToken,
    onSuccess: (result) => {
      setName("");
      setDays("");
      onCreated(result);
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: { name?: string; days?: string } = {};
    if (!name.trim()) found.name = t("common.required");
    const expiresInDays = days === "" ? undefined : Number(days);
    if (
      expiresInDays !== undefined &&
      !(Number.isInteger(expiresInDays) && expiresInDays >= 1 && expiresInDays <= 730)
    )
      found.days = t("tokens.expiresInvalid");
    setErrors(found);
    if (found.name || found.days) return;
    mutation.mutate(
      expiresInDays === undefined ? { name: name.trim() } : { name: name.trim(), expiresInDays },
    );
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={onSubmit} noValidate aria-labelledby="token-create-heading">
        <Stack gap="sm">
          <Title order={3} size="h4" id="token-create-heading">
            {t("tokens.createHeading")}
          </Title>
          {mutation.isError && <ErrorState error={mutation.error} />}
          <Group align="flex-start" gap="md" grow preventGrowOverflow={false} wrap="wrap">
            <TextInput
              label={t("tokens.name")}
              description={t("tokens.nameHint")}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errors.name}
              maxLength={100}
              autoComplete="off"
              miw={220}
            />
            <NumberInput
              label={t("tokens.expiresInDays")}
              description={t("tokens.expiresHint")}
              value={days}
              onChange={setDays}
              error={errors.days}
              min={1}
              max={730}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              miw={220}
            />
          </Group>
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t("tokens.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The whole secret, this once: the server keeps only its hash, so closing this loses it for good. */
function SecretOnce({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const { t } = useAccountText();
  return (
    <Alert
      color="yellow"
      variant="light"
      title={t("tokens.secretTitle", { name: created.token.name })}
      role="alert"
    >
      <Stack gap="sm">
        <Text size="sm">{t("tokens.secretWarning")}</Text>
        <CopyField label={t("tokens.secretLabel")} value={created.secret} />
        <Group>
          <Button variant="default" onClick={onDone}>
            {t("tokens.secretDone")}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function tokenStatus(token: ApiToken, now: Date): "revoked" | "expired" | "active" {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && new Date(token.expiresAt) <= now) return "expired";
  return "active";
}

function TokenTable({ tokens, onRevoked }: { tokens: ApiToken[]; onRevoked: (token: ApiToken) => void }) {
  const { t, roleLabel, scopeName } = useAccountText();
  const [confirming, setConfirming] = useState<ApiToken | null>(null);
  const now = new Date();
  const colors = { active: "green", revoked: "gray", expired: "orange" } as const;
  return (
    <>
      <Table striped verticalSpacing="xs" className={common.table}>
        <Table.Caption className={common.visuallyHidden}>{t("tokens.listCaption")}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("tokens.colName")}</Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              {t("tokens.colPrefix")}
            </Table.Th>
            <Table.Th scope="col" visibleFrom="md">
              {t("tokens.colRole")}
            </Table.Th>
            <Table.Th scope="col" visibleFrom="md">
              {t("tokens.colCreated")}
            </Table.Th>
            <Table.Th scope="col" visibleFrom="md">
              {t("tokens.colLastUsed")}
            </Table.Th>
            <Table.Th scope="col" visibleFrom="md">
              {t("tokens.colExpires")}
            </Table.Th>
            <Table.Th scope="col">{t("tokens.colStatus")}</Table.Th>
            <Table.Th scope="col">
              <span className={common.visuallyHidden}>{t("tokens.colActions")}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const status = tokenStatus(token, now);
            const created = formatDateTime(token.createdAt);
            const lastUsed = token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t("tokens.neverUsed");
            const expires = token.expiresAt ? formatDateTime(token.expiresAt) : t("tokens.noExpiry");
            return (
              <Table.Tr key={token.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {token.name}
                  </Text>
                  {/* On a phone the other columns fold under the name. */}
                  <Stack gap={0} hiddenFrom="md">
                    <Text size="xs" c="dimmed" hiddenFrom="sm" className={classes.prefix}>
                      {token.prefix}…
                    </Text>
                    <Text size="xs" c="dimmed">
                      {roleLabel(token.role)} · {scopeName(token.scope)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t("tokens.created", { date: created })}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t("tokens.lastUsed", { date: lastUsed })}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t("tokens.expires", { date: expires })}
                    </Text>
                  </Stack>
                  <Text size="xs" c="dimmed" visibleFrom="md">
                    {scopeName(token.scope)}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm" className={classes.prefix}>
                  {token.prefix}…
                </Table.Td>
                <Table.Td visibleFrom="md">{roleLabel(token.role)}</Table.Td>
                <Table.Td visibleFrom="md" className={classes.nowrap}>
                  {created}
                </Table.Td>
                <Table.Td visibleFrom="md" className={classes.nowrap}>
                  {lastUsed}
                </Table.Td>
                <Table.Td visibleFrom="md" className={classes.nowrap}>
                  {expires}
                </Table.Td>
                <Table.Td>
                  <Badge color={colors[status]} variant="light">
                    {t(`tokens.${status}`)}
                  </Badge>
                  {token.revokedAt && (
                    <Text size="xs" c="dimmed">
                      {formatDateTime(token.revokedAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {status !== "revoked" && (
                    <Button
                      size="compact-sm"
                      variant="outline"
                      color="red"
                      onClick={() => setConfirming(token)}
                      aria-label={t("tokens.revokeLabel", { name: token.name })}
                    >
                      {t("tokens.revoke")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <RevokeDialog
        token={confirming}
        onClose={() => setConfirming(null)}
        onRevoked={(token) => {
          setConfirming(null);
          onRevoked(token);
        }}
      />
    </>
  );
}

function RevokeDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: ApiToken | null;
  onClose: () => void;
  onRevoked: (token: ApiToken) => void;
}) {
  const { t } = useAccountText();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: revokeToken,
    onSuccess: (revoked) => {
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
      mutation.reset();
      onRevoked(revoked);
    },
  });
  return (
    <Modal
      opened={token !== null}
      onClose={() => {
        mutation.reset();
        onClose();
      }}
      title={token ? t("tokens.revokeTitle", { name: token.name }) : ""}
      centered
    >
      {token && (
        <Stack gap="md">
          <Text>{t("tokens.revokeText", { prefix: token.prefix })}</Text>
          {mutation.isError && <ErrorState error={mutation.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button color="red" loading={mutation.isPending} onClick={() => mutation.mutate(token.id)}>
              {t("tokens.revokeConfirm")}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
