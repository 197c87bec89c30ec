using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.SqlServer.Migrations
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
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Tickets",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "EscalationLevel3DueAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReasons",
                table: "Tickets",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstResponseDueAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsEscalated",
                table: "Tickets",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextResponseDueAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionDueAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SlaJobId",
                table: "Tickets",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SlaPolicyKey",
                table: "Tickets",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SlaScheduledVersion",
                table: "Tickets",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SlaVersion",
                table: "Tickets",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlaWakeUpAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlaWarningAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EventReason",
                table: "TicketMessages",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SlaOutcomes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    Target = table.Column<int>(type: "int", nullable: false),
                    Cycle = table.Column<int>(type: "int", nullable: false),
                    PolicyKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Met = table.Column<bool>(type: "bit", nullable: false),
                    TakenSeconds = table.Column<long>(type: "bigint", nullable: false),
                    GoalSeconds = table.Column<long>(type: "bigint", nullable: false),
                    Mode = table.Column<int>(type: "int", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StoppedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
