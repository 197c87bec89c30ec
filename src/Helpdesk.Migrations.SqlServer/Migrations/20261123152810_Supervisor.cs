using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.SqlServer.Migrations
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
                type: "int",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_EscalatedSince",
                table: "Tickets",
                column: "EscalatedSince",
                filter: "\"EscalatedSince\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ResolvedAt",
                table: "Tickets",
                column: "ResolvedAt");

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
                name: "IX_Tickets_ResolvedAt",
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
