using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Triage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HandlingMode",
                table: "Tickets",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ManualFields",
                table: "Tickets",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "TriageFlags",
                table: "Tickets",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "TicketHistory",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TriageRuleSets",
                columns: table => new
                {
                    Version = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    RulesJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    BasedOnVersion = table.Column<int>(type: "int", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    PublishedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageRuleSets", x => x.Version);
                });

            migrationBuilder.CreateTable(
                name: "TriageResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    MessageId = table.Column<long>(type: "bigint", nullable: true),
                    RuleSetVersion = table.Column<int>(type: "int", nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Type = table.Column<int>(type: "int", nullable: false),
                    Category = table.Column<int>(type: "int", nullable: false),
                    Severity = table.Column<int>(type: "int", nullable: false),
                    Handling = table.Column<int>(type: "int", nullable: false),
                    Flags = table.Column<int>(type: "int", nullable: false),
                    Sentiment = table.Column<double>(type: "float", nullable: false),
                    ExplanationJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Applied = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TriageResults_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TriageResults_TriageRuleSets_RuleSetVersion",
                        column: x => x.RuleSetVersion,
                        principalTable: "TriageRuleSets",
                        principalColumn: "Version",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TriageCorrections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    TriageResultId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StaffId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StaffName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    FromType = table.Column<int>(type: "int", nullable: false),
                    ToType = table.Column<int>(type: "int", nullable: false),
                    FromCategory = table.Column<int>(type: "int", nullable: false),
                    ToCategory = table.Column<int>(type: "int", nullable: false),
                    FromSeverity = table.Column<int>(type: "int", nullable: false),
                    ToSeverity = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageCorrections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TriageCorrections_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TriageCorrections_TriageResults_TriageResultId",
                        column: x => x.TriageResultId,
                        principalTable: "TriageResults",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TriageCorrections_At",
                table: "TriageCorrections",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_TriageCorrections_TicketId",
                table: "TriageCorrections",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_TriageCorrections_TriageResultId",
                table: "TriageCorrections",
                column: "TriageResultId");

            migrationBuilder.CreateIndex(
                name: "IX_TriageResults_At",
                table: "TriageResults",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_TriageResults_RuleSetVersion",
                table: "TriageResults",
                column: "RuleSetVersion");

            migrationBuilder.CreateIndex(
                name: "IX_TriageResults_TicketId_Id",
                table: "TriageResults",
                columns: new[] { "TicketId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TriageRuleSets_Status",
                table: "TriageRuleSets",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TriageCorrections");

            migrationBuilder.DropTable(
                name: "TriageResults");

            migrationBuilder.DropTable(
                name: "TriageRuleSets");

            migrationBuilder.DropColumn(
                name: "HandlingMode",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ManualFields",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TriageFlags",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "TicketHistory");
        }
    }
}
