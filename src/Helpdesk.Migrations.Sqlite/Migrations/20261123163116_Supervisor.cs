using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Supervisor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Capacity",
                table: "AgentPresence",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_EscalatedSince",
                table: "Tickets",
                column: "EscalatedSince",
                filter: "\"EscalatedSince\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_OpenWork",
                table: "Tickets",
                columns: new[] { "Status", "TeamId", "AssigneeId", "Channel", "ChatEndedAt", "IsEscalated", "FirstResponseDueAt", "NextResponseDueAt", "ResolutionDueAt", "SlaWarningAt" },
                filter: "\"Status\" IN (0, 1, 2)");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ResolvedAt_AssigneeId",
                table: "Tickets",
                columns: new[] { "ResolvedAt", "AssigneeId" });

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_AnsweredAt",
                table: "Surveys",
                column: "AnsweredAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_EscalatedSince",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_OpenWork",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_ResolvedAt_AssigneeId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Surveys_AnsweredAt",
                table: "Surveys");

            migrationBuilder.DropColumn(
                name: "Capacity",
                table: "AgentPresence");
        }
    }
}
