using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpdesk.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class OnePendingOffer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Two nodes may have left two pending offers for one chat before this index: the older stays.
            migrationBuilder.Sql("UPDATE \"ChatOffers\" SET \"State\" = 4 WHERE \"State\" = 0 AND \"Id\" NOT IN " +
                "(SELECT MIN(\"Id\") FROM \"ChatOffers\" WHERE \"State\" = 0 GROUP BY \"TicketId\");");
            migrationBuilder.CreateIndex(
                name: "IX_ChatOffers_OnePendingPerTicket",
                table: "ChatOffers",
                column: "TicketId",
                unique: true,
                filter: "\"State\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChatOffers_OnePendingPerTicket",
                table: "ChatOffers");
        }
    }
}
