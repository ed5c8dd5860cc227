# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import csv
import hashlib
import io

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import usage_parser
from .nolog_mailbox import AUTOMATIC_STATES

CHUNK_SIZE = 20000
MAX_LISTED = 1000
STAGE = "nolog_usage_stage"
AGG = "nolog_usage_agg"


class NologIngestion(models.Model):
    """Log of one usage report, and the set-based code that applies it."""

    _name = "nolog.ingestion"
    _description = "no-log usage report ingestion"
    _check_company_auto = True
    _order = "id desc"

    server_id = fields.Many2one(
        "nolog.server", required=True, index=True, check_company=True, readonly=True
    )
    company_id = fields.Many2one(related="server_id.company_id", store=True)
    reported_at = fields.Datetime(string="Report time", required=True, readonly=True)
    file_format = fields.Selection(
        [
            ("doveadm_tab", "doveadm quota get (tab)"),
            ("doveadm_json", "doveadm quota get (JSON)"),
            ("du", "du -sb per maildir"),
            ("csv", "CSV: address, bytes, messages, folder"),
        ],
        string="Format",
        readonly=True,
    )
    source = fields.Selection(
        [("upload", "Upload"), ("api", "Mail server")], required=True, readonly=True
    )
    filename = fields.Char(readonly=True)
    checksum = fields.Char(
        readonly=True, help="SHA-256 of the report, to spot a report sent twice."
    )
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user
    )
    create_unknown = fields.Boolean(string="Create unknown addresses", readonly=True)
    apply_valid_only = fields.Boolean(string="Apply valid lines only", readonly=True)
    state = fields.Selection(
        [
            ("done", "Applied"),
            ("partial", "Valid lines applied"),
            ("rejected", "Rejected"),
        ],
        required=True,
        readonly=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    mailbox_count = fields.Integer(string="Mailboxes in report", readonly=True)
    updated_count = fields.Integer(
        string="Mailboxes updated",
        readonly=True,
        help="Mailboxes whose figures changed; a report sent twice updates none "
        "the second time.",
    )
    created_count = fields.Integer(string="Mailboxes created", readonly=True)
    unknown_count = fields.Integer(string="Unknown addresses", readonly=True)
    foreign_count = fields.Integer(
        string="Addresses on other servers",
        readonly=True,
        help="Addresses of the report registered on another server: not applied.",
    )
    unknown_addresses = fields.Text(readonly=True)
    errors = fields.Text(string="Error details", readonly=True)

    @api.depends("server_id", "reported_at")
    def _compute_display_name(self):
        for ingestion in self:
            ingestion.display_name = (
                f"{ingestion.server_id.name or ''} "
                f"{fields.Datetime.to_string(ingestion.reported_at) or ''}"
            ).strip()

    # ------------------------------------------------------------------
    # Ingestion
    # ------------------------------------------------------------------
    @api.model
    def _ingest(
        self,
        server,
        payload,
        file_format="auto",
        create_unknown=False,
        apply_valid_only=False,
        reported_at=None,
        source="upload",
        filename=None,
    ):
        """Parse and apply a usage report of ``server``.

        The whole report is applied in the current transaction with set-based
        SQL; nothing is applied if a line is bad, unless ``apply_valid_only``.
        Return the ``nolog.ingestion`` record that logs it.
        """
        if isinstance(server, int):
            server = self.env["nolog.server"].browse(server)
        server.ensure_one()
        if isinstance(payload, bytes):
            checksum = hashlib.sha256(payload).hexdigest()
            text = payload.decode("utf-8-sig", errors="replace")
        else:
            text = payload or ""
            checksum = hashlib.sha256(text.encode()).hexdigest()
        reported_at = reported_at or fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        # one report at a time per server
        cr.execute(
            SQL("SELECT id FROM nolog_server WHERE id = %s FOR UPDATE", server.id)
        )
        if file_format in (None, "", "auto"):
            file_format = usage_parser.detect_format(text)
        vals = {
            "server_id": server.id,
            "reported_at": reported_at,
            "file_format": file_format,
            "source": source,
            "filename": filename,
            "checksum": checksum,
            "create_unknown": create_unknown,
            "apply_valid_only": apply_valid_only,
        }
        errors = []
        error_count = 0
        row_count = 0
        if not text.strip():
            errors.append((0, self.env._("The report is empty.")))
            error_count = 1
        else:
            self._create_stage_tables()
            row_count, error_count = self._stage(text, file_format, errors)
            duplicates = self._remove_duplicates()
            error_count += len(duplicates)
            errors.extend(duplicates)
            if not row_count and not error_count:
                errors.append((0, self.env._("The report holds no usage line.")))
                error_count = 1
        vals.update(row_count=row_count, error_count=error_count)
        if error_count and (not apply_valid_only or not row_count):
            vals["state"] = "rejected"
            if row_count:
                self._aggregate()
                vals.update(self._count_unknown(server))
        else:
            vals["state"] = "partial" if error_count else "done"
            self._aggregate()
            vals.update(self._count_unknown(server))
            if create_unknown and vals["unknown_count"]:
                if server.policy_id:
                    vals["created_count"] = self._create_unknown(server)
                else:
                    errors.append(
                        (
                            0,
                            self.env._(
                                "The server has no default policy: unknown "
                                "addresses were not created."
                            ),
                        )
                    )
            vals["updated_count"] = self._apply(server, reported_at)
            self._upsert_history(server, reported_at)
            server._refresh_used_bytes(reported_at)
            self.env.invalidate_all()
        vals["errors"] = self._format_errors(errors, error_count)
        return self.create(vals)

    @api.model
    def _create_stage_tables(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                "DROP TABLE IF EXISTS %s, %s",
                SQL.identifier(STAGE),
                SQL.identifier(AGG),
            )
        )
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE %s (
                    line integer NOT NULL,
                    address varchar NOT NULL,
                    kind char(1) NOT NULL,
                    folder varchar NOT NULL,
                    grp varchar NOT NULL,
                    size bigint,
                    messages bigint
                ) ON COMMIT DROP
                """,
                SQL.identifier(STAGE),
            )
        )

    @api.model
    def _stage(self, text, file_format, errors):
        """Parse the report into the stage table, in chunks through COPY."""
        row_count = error_count = 0
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        pending = 0
        for item in usage_parser.parse(text, file_format):
            if isinstance(item, usage_parser.UsageError):
                error_count += 1
                if len(errors) < MAX_LISTED:
                    errors.append((item.line, self._reason(item)))
                continue
            row_count += 1
            pending += 1
            writer.writerow(
                (
                    item.line,
                    item.address,
                    item.kind,
                    item.folder,
                    item.group,
                    "" if item.size is None else item.size,
                    "" if item.messages is None else item.messages,
                )
            )
            if pending >= CHUNK_SIZE:
                self._copy(buffer)
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                pending = 0
        if pending:
            self._copy(buffer)
        return row_count, error_count

    @api.model
    def _reason(self, error):
        """Translated sentence for a parser error."""
        reasons = {
            "not_integer": self.env._(
                "%(what)s is not a non-negative integer: %(value)s"
            ),
            "too_large": self.env._("%(what)s is too large: %(value)s"),
            "invalid_address": self.env._("invalid address: %(value)s"),
            "unknown_type": self.env._("unknown quota type: %(value)s"),
            "tab_columns": self.env._("expected at least 4 tab-separated columns"),
            "invalid_json": self.env._("invalid JSON: %(value)s"),
            "json_list": self.env._("expected a JSON list of quota entries"),
            "json_object": self.env._("entry is not a JSON object"),
            "json_keys": self.env._("entry needs username, type and value"),
            "du_columns": self.env._("expected '<bytes> <path>'"),
            "du_address": self.env._("no address in path: %(value)s"),
            "csv_columns": self.env._("expected address, bytes[, messages][, folder]"),
        }
        text = reasons.get(error.code) or usage_parser.REASONS[error.code]
        return text % error.params if error.params else text

    @api.model
    def _copy(self, buffer):
        buffer.seek(0)
        self.env.cr.copy_expert(
            "COPY nolog_usage_stage (line, address, kind, folder, grp, size, messages)"
            " FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (folder, grp))",
            buffer,
        )

    @api.model
    def _remove_duplicates(self):
        """Drop repeated (address, kind, folder) rows; report them as errors."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH d AS (
                    SELECT line,
                           first_value(line) OVER w AS first_line,
                           row_number() OVER w AS rank
                      FROM %(stage)s
                    WINDOW w AS (PARTITION BY address, kind, lower(folder)
                                 ORDER BY line)
                )
                DELETE FROM %(stage)s s
                 USING d
                 WHERE s.line = d.line AND d.rank > 1
             RETURNING s.line, d.first_line
                """,
                stage=SQL.identifier(STAGE),
            )
        )
        return [
            (line, self.env._("duplicate of line %(line)s", line=first_line))
            for line, first_line in sorted(cr.fetchall())
        ]

    @api.model
    def _aggregate(self):
        """One row per address from the staged rows."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE %(agg)s ON COMMIT DROP AS
                SELECT address,
                       total,
                       CASE WHEN messages IS NOT NULL
                           THEN LEAST(messages, 2147483647) END AS messages,
                       has_folders,
                       CASE WHEN has_folders THEN inbox
                            + CASE WHEN has_inbox THEN 0 ELSE remainder END END
                           AS inbox,
                       CASE WHEN has_folders THEN trash END AS trash,
                       CASE WHEN has_folders THEN spam END AS spam,
                       CASE WHEN has_folders THEN sent END AS sent,
                       CASE WHEN has_folders THEN other
                            + CASE WHEN has_inbox THEN remainder ELSE 0 END END
                           AS other
                  FROM (
                    SELECT address,
                           COALESCE(MAX(size) FILTER (WHERE kind = 'S'),
                                    SUM(size) FILTER (WHERE kind = 'F')) AS total,
                           COALESCE(
                               MAX(messages) FILTER (WHERE kind = 'M'),
                               MAX(messages) FILTER (WHERE kind = 'S'),
                               SUM(messages) FILTER (WHERE kind = 'F')) AS messages,
                           BOOL_OR(kind = 'F') AS has_folders,
                           BOOL_OR(kind = 'F' AND grp = 'inbox') AS has_inbox,
                           COALESCE(SUM(size) FILTER (WHERE grp = 'inbox'), 0)
                               AS inbox,
                           COALESCE(SUM(size) FILTER (WHERE grp = 'trash'), 0)
                               AS trash,
                           COALESCE(SUM(size) FILTER (WHERE grp = 'spam'), 0)
                               AS spam,
                           COALESCE(SUM(size) FILTER (WHERE grp = 'sent'), 0)
                               AS sent,
                           COALESCE(SUM(size) FILTER (WHERE grp = 'other'), 0)
                               AS other,
                           GREATEST(
                               COALESCE(MAX(size) FILTER (WHERE kind = 'S'), 0)
                               - COALESCE(SUM(size) FILTER (WHERE kind = 'F'), 0),
                               0) AS remainder
                      FROM %(stage)s
                     GROUP BY address
                  ) g
                """,
                agg=SQL.identifier(AGG),
                stage=SQL.identifier(STAGE),
            )
        )
        cr.execute(SQL("ALTER TABLE %s ADD PRIMARY KEY (address)", SQL.identifier(AGG)))
        cr.execute(SQL("ANALYZE %s", SQL.identifier(AGG)))

    @api.model
    def _count_unknown(self, server):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT a.address, m.server_id
                  FROM %(agg)s a
                  LEFT JOIN nolog_mailbox m ON m.address = a.address
                 WHERE m.id IS NULL OR m.server_id != %(server)s
                 ORDER BY a.address
                """,
                agg=SQL.identifier(AGG),
                server=server.id,
            )
        )
        unknown = []
        unknown_count = foreign_count = 0
        while rows := cr.fetchmany(5000):
            for address, server_id in rows:
                if server_id:
                    foreign_count += 1
                    continue
                unknown_count += 1
                if len(unknown) < MAX_LISTED:
                    unknown.append(address)
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(AGG)))
        mailbox_count = cr.fetchone()[0]
        listed = "\n".join(unknown)
        if unknown_count > len(unknown):
            listed += "\n" + self.env._(
                "… and %(count)s more", count=unknown_count - len(unknown)
            )
        return {
            "mailbox_count": mailbox_count,
            "unknown_count": unknown_count,
            "foreign_count": foreign_count,
            "unknown_addresses": listed or False,
        }

    @api.model
    def _create_unknown(self, server):
        """Register the report's unknown addresses on ``server``."""
        policy = server.policy_id
        self.env["nolog.mailbox"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO nolog_mailbox (
                    address, server_id, company_id, policy_id, state, open_date,
                    quota_percent, trash_share,
                    create_uid, create_date, write_uid, write_date)
                SELECT a.address, %(server)s, %(company)s, %(policy)s, 'active',
                       %(today)s, 0, 0,
                       %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM %(agg)s a
                 WHERE NOT EXISTS (
                        SELECT 1 FROM nolog_mailbox m WHERE m.address = a.address)
                ON CONFLICT DO NOTHING
                """,
                agg=SQL.identifier(AGG),
                server=server.id,
                company=server.company_id.id,
                policy=policy.id,
                today=fields.Date.context_today(self),
                uid=self.env.uid,
            )
        )
        return cr.rowcount

    @api.model
    def _apply(self, server, reported_at):
        """Write the new usage on the server's mailboxes in one statement."""
        self.env["nolog.mailbox"].flush_model()
        self.env["nolog.policy"].flush_model()
        self.env["nolog.policy.level"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox m
                   SET usage_bytes = v.total,
                       message_count = v.messages,
                       inbox_bytes = v.inbox,
                       trash_bytes = v.trash,
                       spam_bytes = v.spam,
                       sent_bytes = v.sent,
                       other_bytes = v.other,
                       usage_date = %(date)s,
                       quota_percent = v.pct,
                       trash_share = v.share,
                       warning_level_id = v.level_id,
                       state = v.state,
                       write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM (
                    SELECT n.*,
                           CASE
                               WHEN n.old_state NOT IN %(automatic)s
                                   THEN n.old_state
                               ELSE %(automatic_state)s END AS state
                      FROM (
                        SELECT c.*,
                               (SELECT l.id FROM nolog_policy_level l
                                 WHERE l.policy_id = c.policy_id AND l.percent <= c.pct
                                 ORDER BY l.percent DESC LIMIT 1) AS level_id,
                               CASE WHEN c.total > 0
                                   THEN ROUND((c.trash + c.spam) * 100.0 / c.total, 1)
                                   ELSE 0 END AS share
                          FROM (
                            SELECT b.id, b.policy_id, b.state AS old_state,
                                   COALESCE(a.total, b.usage_bytes, 0) AS total,
                                   COALESCE(a.messages, b.message_count, 0) AS messages,
                                   COALESCE(a.inbox, b.inbox_bytes, 0) AS inbox,
                                   COALESCE(a.trash, b.trash_bytes, 0) AS trash,
                                   COALESCE(a.spam, b.spam_bytes, 0) AS spam,
                                   COALESCE(a.sent, b.sent_bytes, 0) AS sent,
                                   COALESCE(a.other, b.other_bytes, 0) AS other,
                                   CASE WHEN p.quota_bytes > 0
                                       THEN ROUND(COALESCE(a.total, b.usage_bytes, 0)
                                                  * 100.0 / p.quota_bytes, 1)
                                       ELSE 0 END AS pct
                              FROM %(agg)s a
                              JOIN nolog_mailbox b ON b.address = a.address
                              JOIN nolog_policy p ON p.id = b.policy_id
                             WHERE b.server_id = %(server)s
                          ) c
                      ) n
                  ) v
                 WHERE m.id = v.id
                   -- rows that would not change are left alone: a report sent
                   -- twice writes nothing the second time
                   AND (m.usage_bytes, m.message_count, m.inbox_bytes, m.trash_bytes,
                        m.spam_bytes, m.sent_bytes, m.other_bytes, m.usage_date,
                        m.quota_percent, m.trash_share, m.warning_level_id, m.state)
                       IS DISTINCT FROM
                       (v.total, v.messages, v.inbox, v.trash, v.spam, v.sent,
                        v.other, %(date)s::date, v.pct, v.share, v.level_id,
                        v.state::varchar)
                """,
                agg=SQL.identifier(AGG),
                date=fields.Date.to_date(reported_at),
                uid=self.env.uid,
                server=server.id,
                automatic=AUTOMATIC_STATES,
                automatic_state=self.env["nolog.mailbox"]._automatic_state_sql(
                    SQL("n.id"), SQL("n.pct"), SQL("n.level_id")
                ),
            )
        )
        return cr.rowcount

    @api.model
    def _upsert_history(self, server, reported_at):
        """One history row per mailbox and day; a second report replaces it."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO nolog_usage_history (
                    mailbox_id, company_id, date, usage_bytes, message_count,
                    trash_bytes)
                SELECT m.id, m.company_id, %(date)s, m.usage_bytes, m.message_count,
                       m.trash_bytes
                  FROM %(agg)s a
                  JOIN nolog_mailbox m ON m.address = a.address
                 WHERE m.server_id = %(server)s
                ON CONFLICT (mailbox_id, date) DO UPDATE
                   SET usage_bytes = EXCLUDED.usage_bytes,
                       message_count = EXCLUDED.message_count,
                       trash_bytes = EXCLUDED.trash_bytes
                 WHERE (nolog_usage_history.usage_bytes,
                        nolog_usage_history.message_count,
                        nolog_usage_history.trash_bytes)
                       IS DISTINCT FROM
                       (EXCLUDED.usage_bytes, EXCLUDED.message_count,
                        EXCLUDED.trash_bytes)
                """,
                agg=SQL.identifier(AGG),
                date=fields.Date.to_date(reported_at),
                server=server.id,
            )
        )

    @api.model
    def _format_errors(self, errors, error_count):
        if not errors:
            return False
        lines = [
            self.env._("line %(line)s: %(reason)s", line=line, reason=reason)
            if line
            else str(reason)
            for line, reason in sorted(errors, key=lambda error: error[0])
        ]
        if error_count > len(errors):
            lines.append(
                self.env._("… and %(count)s more", count=error_count - len(errors))
            )
        return "\n".join(lines)

    def _summary(self):
        """JSON-ready summary, for the mail server."""
        self.ensure_one()
        return {
            "ingestion_id": self.id,
            "state": self.state,
            "format": self.file_format,
            "rows": self.row_count,
            "mailboxes": self.mailbox_count,
            "updated": self.updated_count,
            "created": self.created_count,
            "unknown": self.unknown_count,
            "unknown_addresses": (self.unknown_addresses or "").splitlines(),
            "other_server": self.foreign_count,
            "error_count": self.error_count,
            "errors": (self.errors or "").splitlines(),
        }

    def action_view_server(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "nolog.server",
            "res_id": self.server_id.id,
            "view_mode": "form",
        }
