using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SlaTimers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EscalatedSince",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "EscalationLevel3DueAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReasons",
                table: "Tickets",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstResponseDueAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsEscalated",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextResponseDueAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionDueAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SlaJobId",
                table: "Tickets",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SlaPolicyKey",
                table: "Tickets",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SlaScheduledVersion",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SlaVersion",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlaWakeUpAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlaWarningAt",
                table: "Tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EventReason",
                table: "TicketMessages",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SlaOutcomes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    Target = table.Column<int>(type: "INTEGER", nullable: false),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    PolicyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Met = table.Column<bool>(type: "INTEGER", nullable: false),
                    TakenSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    GoalSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StoppedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaOutcomes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SlaOutcomes_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_EscalationLevel3DueAt",
                table: "Tickets",
                column: "EscalationLevel3DueAt",
                filter: "\"EscalationLevel3DueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_SlaWakeUpAt",
                table: "Tickets",
                column: "SlaWakeUpAt",
                filter: "\"SlaWakeUpAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SlaOutcomes_StoppedAt",
                table: "SlaOutcomes",
                column: "StoppedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SlaOutcomes_TicketId_Target_Cycle",
                table: "SlaOutcomes",
                columns: new[] { "TicketId", "Target", "Cycle" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SlaOutcomes");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_EscalationLevel3DueAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_SlaWakeUpAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EscalatedSince",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EscalationLevel3DueAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EscalationReasons",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "FirstResponseDueAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "IsEscalated",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "NextResponseDueAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResolutionDueAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaJobId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaPolicyKey",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaScheduledVersion",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaVersion",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaWakeUpAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "SlaWarningAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EventReason",
                table: "TicketMessages");
        }
    }
}
