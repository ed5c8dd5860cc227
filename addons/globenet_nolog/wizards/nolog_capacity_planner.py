# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import math

from odoo import api, fields, models

from ..tools.units import DISK_GB, MB, format_number, format_size

RAID_LEVELS = ("0", "1", "5", "6", "10")


class NologCapacityPlanner(models.TransientModel):
    """What does N accounts need? Servers, switches, disks and cost, from
    figures the managers can change; and the usable space of the disks at
    each RAID level, by the servers' own rule."""

    _name = "nolog.capacity.planner"
    _description = "no-log capacity planner"

    account_count = fields.Integer(string="Accounts", required=True, default=100000)
    accounts_per_server = fields.Integer(
        string="Accounts per server", required=True, default=30000
    )
    mailbox_mb = fields.Integer(
        string="Average mailbox size (MB)",
        required=True,
        default=50,
        help="Binary megabytes, as the quotas.",
    )
    disk_size_gb = fields.Integer(string="Disk size (GB)", required=True, default=250)
    disk_count = fields.Integer(string="Disks per server", required=True, default=8)
    raid_level = fields.Selection(
        [(level, f"RAID {level}") for level in RAID_LEVELS],
        string="RAID level",
        required=True,
        default="5",
    )
    fill_threshold = fields.Integer(string="Fill threshold (%)", default=90)
    backups_per_server = fields.Integer(
        string="Backup servers per mail server",
        default=1,
        help="Each mail server has its backup twin.",
    )
    servers_per_switch = fields.Integer(
        string="Servers per switch", required=True, default=4
    )
    server_cost = fields.Float(string="Cost per server", default=4000.0)
    switch_cost = fields.Float(string="Cost per switch", default=4000.0)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    usable_gb = fields.Integer(
        string="Usable space per server (GB)", compute="_compute_plan"
    )
    mail_servers = fields.Integer(string="Mail servers", compute="_compute_plan")
    total_servers = fields.Integer(string="Servers", compute="_compute_plan")
    switches = fields.Integer(compute="_compute_plan")
    disks = fields.Integer(compute="_compute_plan")
    cost = fields.Monetary(compute="_compute_plan")
    explanation = fields.Text(compute="_compute_plan")
    raid0_gb = fields.Integer(string="RAID 0 (GB)", compute="_compute_raid")
    raid1_gb = fields.Integer(string="RAID 1 (GB)", compute="_compute_raid")
    raid5_gb = fields.Integer(string="RAID 5 (GB)", compute="_compute_raid")
    raid6_gb = fields.Integer(string="RAID 6 (GB)", compute="_compute_raid")
    raid10_gb = fields.Integer(string="RAID 10 (GB)", compute="_compute_raid")

    @api.depends("disk_count", "disk_size_gb")
    def _compute_raid(self):
        """Usable GB at each level; 0 where the layout is impossible."""
        Server = self.env["nolog.server"]
        for planner in self:
            for level in RAID_LEVELS:
                planner[f"raid{level}_gb"] = (
                    Server._raid_capacity_gb(
                        level, planner.disk_count, planner.disk_size_gb
                    )
                    or 0
                )

    @api.depends(
        "account_count",
        "accounts_per_server",
        "mailbox_mb",
        "disk_size_gb",
        "disk_count",
        "raid_level",
        "fill_threshold",
        "backups_per_server",
        "servers_per_switch",
        "server_cost",
        "switch_cost",
    )
    @api.depends_context("lang")
    def _compute_plan(self):
        env = self.env
        Server = env["nolog.server"]
        for planner in self:
            plan = planner._plan(Server)
            planner.update({key: plan[key] for key in plan if key != "lines"})
            planner.explanation = "\n".join(plan["lines"])

    def _plan(self, Server):
        env = self.env
        usable_gb = (
            Server._raid_capacity_gb(
                self.raid_level, self.disk_count, self.disk_size_gb
            )
            or 0
        )
        fill = (self.fill_threshold or 100) / 100.0
        accounts = max(self.account_count, 0)
        by_accounts = math.ceil(accounts / max(self.accounts_per_server, 1))
        needed_bytes = accounts * self.mailbox_mb * MB
        room_bytes = usable_gb * DISK_GB * fill
        by_space = math.ceil(needed_bytes / room_bytes) if room_bytes else 0
        mail_servers = max(by_accounts, by_space)
        total = mail_servers * (1 + max(self.backups_per_server, 0))
        switches = math.ceil(total / max(self.servers_per_switch, 1))
        cost = total * self.server_cost + switches * self.switch_cost

        def num(value):
            return format_number(env, value, digits=0)

        lines = [
            env._(
                "Accounts: %(accounts)s / %(per)s per server = %(servers)s mail "
                "server(s).",
                accounts=num(accounts),
                per=num(self.accounts_per_server),
                servers=num(by_accounts),
            ),
            env._(
                "Space: %(accounts)s x %(size)s MB = %(needed)s; one server holds "
                "%(room)s (%(usable)s GB usable, filled to %(fill)s %%): "
                "%(servers)s mail server(s).",
                accounts=num(accounts),
                size=num(self.mailbox_mb),
                needed=format_size(env, needed_bytes, binary=False, unit="GB"),
                room=format_size(env, room_bytes, binary=False, unit="GB"),
                usable=num(usable_gb),
                fill=num(self.fill_threshold),
                servers=num(by_space),
            ),
            env._(
                "%(mail)s mail server(s) with %(backups)s backup server(s) each: "
                "%(total)s servers, %(switches)s switch(es) of %(per)s servers, "
                "%(disks)s disks.",
                mail=num(mail_servers),
                backups=num(self.backups_per_server),
                total=num(total),
                switches=num(switches),
                per=num(self.servers_per_switch),
                disks=num(total * self.disk_count),
            ),
            env._(
                "Cost: %(total)s x %(server)s + %(switches)s x %(switch)s = %(cost)s.",
                total=num(total),
                server=num(self.server_cost),
                switches=num(switches),
                switch=num(self.switch_cost),
                cost=num(cost),
            ),
        ]
        return {
            "usable_gb": usable_gb,
            "mail_servers": mail_servers,
            "total_servers": total,
            "switches": switches,
            "disks": total * self.disk_count,
            "cost": cost,
            "lines": lines,
        }
