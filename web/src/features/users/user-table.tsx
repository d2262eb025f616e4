import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import type { User } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { useAccountText } from "../../lib/use-account-text.ts";
import classes from "./users.module.css";

/** Accounts as a table; role and unit fold under the name on a phone. */
export function UserTable({
  users,
  meId,
  onEdit,
}: {
  users: User[];
  meId: number;
  onEdit: (user: User) => void;
}) {
  const { t, roleLabel, scopeLabel, userStatus } = useAccountText();
  return (
    <Table striped highlightOnHover verticalSpacing="xs" className={common.table}>
      <Table.Caption className={common.visuallyHidden}>{t("users.caption")}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t("users.colAccount")}</Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("users.colRole")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("users.colScope")}
          </Table.Th>
          <Table.Th scope="col" visibleFrom="sm">
            {t("users.colStatus")}
          </Table.Th>
          <Table.Th scope="col">
            <span className={common.visuallyHidden}>{t("users.colActions")}</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((user) => {
          const status = userStatus(user);
          const statusBadge = (
            <div>
              <Badge color={status.color} variant="light">
                {status.label}
              </Badge>
              {status.detail && (
                <Text size="xs" c="dimmed">
                  {status.detail}
                </Text>
              )}
            </div>
          );
          const rescope = user.needsRescope && (
            <Badge color="orange" variant="light">
              {t("users.needsRescope")}
            </Badge>
          );
          return (
            <Table.Tr key={user.id}>
              <Table.Td>
                <Stack gap={2}>
                  <Group gap={6} wrap="wrap">
                    <Text fw={600} size="sm">
                      {user.displayName}
                    </Text>
                    {user.id === meId && (
                      <Badge size="sm" variant="outline" color="gray">
                        {t("users.you")}
                      </Badge>
                    )}
                  </Group>
                  <Text className={classes.username} c="dimmed">
                    {user.username}
                  </Text>
                  {/* On a phone role, unit and status fold under the name: the table stays two columns wide. */}
                  <Stack gap={4} hiddenFrom="sm" align="flex-start">
                    <Text size="xs">
                      {roleLabel(user.role)} · {scopeLabel(user.scope)}
                    </Text>
                    {rescope}
                    {statusBadge}
                  </Stack>
                </Stack>
              </Table.Td>
              <Table.Td visibleFrom="sm">{roleLabel(user.role)}</Table.Td>
              <Table.Td visibleFrom="sm">
                <Stack gap={4} align="flex-start">
                  <span>{scopeLabel(user.scope)}</span>
                  {rescope}
                </Stack>
              </Table.Td>
              <Table.Td visibleFrom="sm">{statusBadge}</Table.Td>
              <Table.Td className={classes.action}>
                <Button
                  size="compact-sm"
                  variant="default"
                  onClick={() => onEdit(user)}
                  aria-label={t("users.editLabel", { username: user.username })}
                >
                  {t("users.edit")}
                </Button>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
