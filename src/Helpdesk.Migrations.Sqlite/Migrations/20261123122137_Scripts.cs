using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Scripts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Tickets",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Scripts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ApprovedText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ApprovedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Scripts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Scripts_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ForbiddenPhrases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Phrase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Suggestion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SuggestedScriptId = table.Column<long>(type: "INTEGER", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForbiddenPhrases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ForbiddenPhrases_Scripts_SuggestedScriptId",
                        column: x => x.SuggestedScriptId,
                        principalTable: "Scripts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ScriptRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScriptId = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Changes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OldText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    NewText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    OldStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    NewStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScriptRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScriptRevisions_Scripts_ScriptId",
                        column: x => x.ScriptId,
                        principalTable: "Scripts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ForbiddenPhraseRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PhraseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Changes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OldPhrase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NewPhrase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    OldSuggestion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    NewSuggestion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    OldActive = table.Column<bool>(type: "INTEGER", nullable: true),
                    NewActive = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForbiddenPhraseRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ForbiddenPhraseRevisions_ForbiddenPhrases_PhraseId",
                        column: x => x.PhraseId,
                        principalTable: "ForbiddenPhrases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ForbiddenPhraseRevisions_PhraseId_Version",
                table: "ForbiddenPhraseRevisions",
                columns: new[] { "PhraseId", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_ForbiddenPhrases_IsActive",
                table: "ForbiddenPhrases",
                column: "IsActive");

            migrationBuilder.CreateIndex(
                name: "IX_ForbiddenPhrases_SuggestedScriptId",
                table: "ForbiddenPhrases",
                column: "SuggestedScriptId");

            migrationBuilder.CreateIndex(
                name: "IX_ScriptRevisions_ScriptId_Version",
                table: "ScriptRevisions",
                columns: new[] { "ScriptId", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_Scripts_Kind_Language",
                table: "Scripts",
                columns: new[] { "Kind", "Language" });

            migrationBuilder.CreateIndex(
                name: "IX_Scripts_TeamId",
                table: "Scripts",
                column: "TeamId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ForbiddenPhraseRevisions");

            migrationBuilder.DropTable(
                name: "ScriptRevisions");

            migrationBuilder.DropTable(
                name: "ForbiddenPhrases");

            migrationBuilder.DropTable(
                name: "Scripts");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "Tickets");
        }
    }
}
